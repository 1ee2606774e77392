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
/// has none: sixteen bytes at a time are searched for the bytes that could start a forbidden
/// character (an ASCII control other than tab and line breaks, DEL, the lead byte of
/// U+0080–U+00BF or of U+F000 and above), and only those are decoded. Such bytes are never
/// in the middle of a character, so each is decoded from where it is. Arabic or accented
/// text has none of them, so it is searched as fast as ASCII.
pub fn first_forbidden(text: &str, from: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut at = from.min(bytes.len());
    let found = |at: usize, mut mask: u64| {
        while mask != 0 {
            let p = at + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if let Some(c) = text.get(p..).and_then(|s| s.chars().next())
                && is_forbidden(c)
            {
                return Some((p, c));
            }
        }
        None
    };
    // 64 bytes a step, then the rest padded with spaces.
    while let Some(chunk) = bytes.get(at..at + 64) {
        let (quarters, _) = chunk.as_chunks::<16>();
        let mask = quarters
            .iter()
            .enumerate()
            .fold(0u64, |m, (k, q)| m | u64::from(suspects(q)) << (16 * k));
        if mask != 0
            && let Some(hit) = found(at, mask)
        {
            return Some(hit);
        }
        at += 64;
    }
    while at < bytes.len() {
        let end = (at + 16).min(bytes.len());
        let mut chunk = [b' '; 16];
        chunk[..end - at].copy_from_slice(&bytes[at..end]);
        if let Some(hit) = found(at, u64::from(suspects(&chunk))) {
            return Some(hit);
        }
        at = end;
    }
    None
}

/// Whether byte `b` could start a forbidden character.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn suspect(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2 || b >= 0xef
}

/// Bit k set when byte k of `chunk` is a [`suspect`].
#[cfg(target_arch = "x86_64")]
fn suspects(chunk: &[u8; 16]) -> u32 {
    // SAFETY: SSE2 is part of every x86_64 processor.
    unsafe { suspects_sse2(chunk) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn suspects_sse2(chunk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: `chunk` is 16 readable bytes, and unaligned loads are allowed.
    let x = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
    let splat = |c: u8| _mm_set1_epi8(c as i8);
    let is = |c: u8| _mm_cmpeq_epi8(x, splat(c));
    // Signed comparisons: 0x00–0x1F are 0..32, 0xEF–0xFF are -17..-1.
    let control = _mm_and_si128(
        _mm_cmpgt_epi8(x, splat(0xff)),
        _mm_cmplt_epi8(x, splat(0x20)),
    );
    let allowed = _mm_or_si128(_mm_or_si128(is(b'\t'), is(b'\n')), is(b'\r'));
    let top = _mm_and_si128(_mm_cmpgt_epi8(x, splat(0xee)), _mm_cmplt_epi8(x, splat(0)));
    let any = _mm_or_si128(
        _mm_or_si128(_mm_andnot_si128(allowed, control), top),
        _mm_or_si128(is(0x7f), is(0xc2)),
    );
    _mm_movemask_epi8(any) as u32 & 0xffff
}

#[cfg(not(target_arch = "x86_64"))]
fn suspects(chunk: &[u8; 16]) -> u32 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |m, (k, &b)| m | u32::from(suspect(b)) << k)
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
    fn every_byte_is_a_suspect_or_not_at_every_position() {
        for byte in 0..=0xffu8 {
            for pos in 0..16 {
                let mut chunk = *b"text, \xc3\xa9 and mor";
                chunk[pos] = byte;
                let mask = suspects(&chunk);
                for (k, &b) in chunk.iter().enumerate() {
                    assert_eq!(mask >> k & 1 == 1, suspect(b), "{b:#x} at {k}");
                }
            }
        }
    }

    #[test]
    fn finds_the_first_of_several_in_long_text() {
        for pos in 0..200 {
            let mut text: String = "ab é عربي ".repeat(20);
            let pos = text.floor_char_boundary(pos);
            text.insert(pos, '\x0b');
            text.push('\u{ffff}');
            assert_eq!(first_forbidden(&text, 0), Some((pos, '\x0b')), "{pos}");
            assert_eq!(
                first_forbidden(&text, pos + 1),
                Some((text.len() - 3, '\u{ffff}'))
            );
        }
    }

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
