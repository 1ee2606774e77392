//! Characters no page or feed may hold: control characters (pasted from word processors:
//! Word's Shift+Enter line break is U+000B) and noncharacters. XML 1.0 forbids the C0
//! controls other than tab, line feed and carriage return, and U+FFFE and U+FFFF: one of them
//! makes the Atom feed unreadable to feed readers. HTML forbids those, DEL, the C1 controls
//! and every noncharacter. Content files are searched once, as they are parsed
//! ([`first_forbidden`]); text that Markdown decodes from character references (`&#11;`) is
//! cleaned as it is rendered ([`replace_forbidden`]). A leaf, like `source.rs`.

/// Whether `c` may not appear in a page or feed.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\x7f'..='\u{9f}' | '\u{fdd0}'..='\u{fdef}')
        || (c as u32 & 0xfffe) == 0xfffe
}

/// The first forbidden character of `text` at or after byte `from`, with its place. Most text
/// has none, and most of it is printable ASCII: eight bytes at a time are skipped while none
/// of them is below a space, DEL or above ASCII (a few arithmetic instructions per eight
/// bytes); only bytes that could start a forbidden character (an ASCII control or DEL, or the
/// lead byte of U+0080–U+00BF or of U+F000 and above) are decoded. Such bytes are never in
/// the middle of a character, so each is decoded from where it is.
pub fn first_forbidden(text: &str, from: usize) -> Option<(usize, char)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let suspect = |b: u8| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2 || b >= 0xef
    };
    let mut at = from.min(bytes.len());
    while at < bytes.len() {
        while let Some(word) = bytes.get(at..at + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            let x = u64::from_le_bytes(eight);
            // A byte below 0x20, or one whose high bit is set by itself or by adding 1 (DEL).
            let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
            let del_or_high = (x | x.wrapping_add(ONES)) & HIGH;
            if below_space | del_or_high != 0 {
                break;
            }
            at += 8;
        }
        let end = (at + 8).min(bytes.len());
        match bytes[at..end].iter().position(|&b| suspect(b)) {
            Some(i) => {
                let p = at + i;
                let c = text[p..].chars().next()?;
                if is_forbidden(c) {
                    return Some((p, c));
                }
                at = p + 1;
            }
            None => at = end,
        }
    }
    None
}

/// `text` with each forbidden character replaced by U+FFFD (as CommonMark does for `&#0;`),
/// or None if it has none.
pub fn replace_forbidden(text: &str) -> Option<String> {
    first_forbidden(text, 0)?;
    Some(
        text.chars()
            .map(|c| if is_forbidden(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

/// What a writer may call the forbidden character `c`.
pub fn name(c: char) -> &'static str {
    const C0: [&str; 32] = [
        "null",
        "start of heading",
        "start of text",
        "end of text",
        "end of transmission",
        "enquiry",
        "acknowledge",
        "bell",
        "backspace",
        "tab",
        "line feed",
        "vertical tab",
        "form feed",
        "carriage return",
        "shift out",
        "shift in",
        "data link escape",
        "device control one",
        "device control two",
        "device control three",
        "device control four",
        "negative acknowledge",
        "synchronous idle",
        "end of transmission block",
        "cancel",
        "end of medium",
        "substitute",
        "escape",
        "file separator",
        "group separator",
        "record separator",
        "unit separator",
    ];
    match c {
        '\0'..='\x1f' => C0[c as usize],
        '\x7f' => "delete",
        '\u{85}' => "next line",
        '\u{80}'..='\u{9f}' => "a C1 control",
        _ => "not a character",
    }
}

/// How a diagnostic's excerpt shows the forbidden character `c`: the Unicode symbol for a C0
/// control or DEL (`␋` for a vertical tab), else the replacement character.
pub fn shown(c: char) -> char {
    match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_forbidden_character_at_every_position() {
        let forbidden = [
            '\0',
            '\x01',
            '\x0b',
            '\x0c',
            '\x1f',
            '\x7f',
            '\u{80}',
            '\u{9f}',
            '\u{fdd0}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ];
        let allowed = [
            '\t', '\n', '\r', ' ', '~', '\u{a0}', '\u{feff}', '\u{fffd}', 'é', '😀', '\u{efff}',
            '\u{fdf0}',
        ];
        for &c in &allowed {
            assert!(!is_forbidden(c), "{c:?}");
        }
        for pad in 0..70 {
            let lead = "é😀a".repeat(pad / 7) + &"x".repeat(pad % 7);
            for &c in &forbidden {
                let text = format!("{lead}\u{a0}{c}\u{feff}end");
                assert_eq!(
                    first_forbidden(&text, 0),
                    Some((lead.len() + 2, c)),
                    "{text:?}"
                );
                assert_eq!(first_forbidden(&text, lead.len() + 3), None, "{text:?}");
            }
            for &c in &allowed {
                assert_eq!(first_forbidden(&format!("{lead}{c}{lead}"), 0), None);
            }
        }
    }

    #[test]
    fn forbidden_characters_are_replaced_and_named() {
        assert_eq!(replace_forbidden("a\x0bb"), Some("a\u{fffd}b".into()));
        assert_eq!(replace_forbidden("ab"), None);
        assert_eq!(name('\x0b'), "vertical tab");
        assert_eq!(name('\u{ffff}'), "not a character");
        assert_eq!(shown('\x0b'), '␋');
        assert_eq!(shown('\x7f'), '␡');
    }
}
