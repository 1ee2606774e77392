//! Word counts for reading times: the hottest loop of Markdown rendering, so text is counted
//! 32 bytes at a time, ASCII by bit masks and the few other characters one by one.

/// Words with at least one letter or digit (what `split_whitespace` and
/// `char::is_alphanumeric` would count). A word starts at a letter or digit when the last
/// space, letter or digit before it was a space (or there was none). Byte by byte, that is a
/// chain of dependent steps (it was a tenth of a build, and a fifth of an Arabic site's);
/// here 32 bytes are classified at once into bit masks, each non-ASCII character's class is
/// set at its first byte (its other bytes count as punctuation, which changes nothing), and
/// the rule is applied to the masks, the "last was a space" state carried through runs of
/// punctuation by an addition.
pub(super) fn count_words(t: &str) -> usize {
    let bytes = t.as_bytes();
    let mut words = 0usize;
    // Whether the position after the previous block follows a space.
    let mut carry = 1u64;
    let mut block = |at: usize, b: &[u8; 32]| {
        let (spaces, alnums, leads) = classify32(b);
        let (spaces, alnums) = if leads == 0 {
            (spaces, alnums)
        } else {
            non_ascii(t, at, leads, spaces, alnums)
        };
        let (spaces, alnums) = (u64::from(spaces), u64::from(alnums));
        let other = !(spaces | alnums) & 0xffff_ffff;
        // Positions right after a space; those on punctuation pass it on, through the run of
        // punctuation, to the position after the run (the addition's carry).
        let seeds = (spaces << 1 | carry) & 0xffff_ffff;
        let passed = (seeds & other) + other;
        let after_space = (seeds | passed) & !other & 0xffff_ffff;
        words += (after_space & alnums).count_ones() as usize;
        carry = (spaces >> 31) | (passed >> 32);
    };
    let (blocks, rest) = bytes.as_chunks::<32>();
    for (k, b) in blocks.iter().enumerate() {
        block(32 * k, b);
    }
    if !rest.is_empty() {
        // Padded with spaces, which start no word.
        let mut b = [b' '; 32];
        b[..rest.len()].copy_from_slice(rest);
        block(bytes.len() - rest.len(), &b);
    }
    words
}

/// The masks of the block at byte `at` of `t` with its non-ASCII characters classified:
/// `leads` marks the first bytes of its non-ASCII characters, where their class goes.
fn non_ascii(t: &str, at: usize, mut leads: u32, mut spaces: u32, mut alnums: u32) -> (u32, u32) {
    let bytes = t.as_bytes();
    let two_byte = &*TWO_BYTE;
    while leads != 0 {
        let j = leads.trailing_zeros();
        leads &= leads - 1;
        let p = at + j as usize;
        let lead = bytes.get(p).copied().unwrap_or(0);
        let class = if lead < 0xe0 {
            // A two-byte character (Latin accents, Greek, Cyrillic, Hebrew, Arabic): from the
            // table, not from the standard library's search of its Unicode tables.
            let next = bytes.get(p + 1).copied().unwrap_or(0);
            two_byte[(usize::from(lead & 0x1f) << 6) | usize::from(next & 0x3f)]
        } else {
            class_of(t.get(p..).and_then(|s| s.chars().next()).unwrap_or('.'))
        };
        spaces |= u32::from(class == SPACE) << j;
        alnums |= u32::from(class == ALNUM) << j;
    }
    (spaces, alnums)
}

fn class_of(c: char) -> u8 {
    if c.is_whitespace() {
        SPACE
    } else if c.is_alphanumeric() {
        ALNUM
    } else {
        0
    }
}

const SPACE: u8 = 1;
const ALNUM: u8 = 2;

/// The class (space, letter or digit, other) of each character below U+0800, as
/// `char::is_whitespace` and `char::is_alphanumeric` say: the characters written in two
/// UTF-8 bytes.
static TWO_BYTE: std::sync::LazyLock<[u8; 0x800]> = std::sync::LazyLock::new(|| {
    let mut t = [0u8; 0x800];
    for (cp, class) in t.iter_mut().enumerate() {
        if let Some(c) = char::from_u32(cp as u32) {
            *class = class_of(c);
        }
    }
    t
});

/// Bit masks (bit k for byte k) of the ASCII spaces, of the ASCII letters and digits, and of
/// the first bytes of other characters (0xC0 and above) among 32 bytes.
#[cfg(target_arch = "x86_64")]
pub(super) fn classify32(b: &[u8; 32]) -> (u32, u32, u32) {
    // SAFETY: SSE2 is part of every x86_64 processor.
    unsafe { classify32_sse2(b) }
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn classify32(b: &[u8; 32]) -> (u32, u32, u32) {
    classify32_swar(b)
}

/// [`classify32`] with 16 bytes per instruction: three times as fast as [`classify32_swar`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
pub(super) fn classify32_sse2(b: &[u8; 32]) -> (u32, u32, u32) {
    use std::arch::x86_64::*;
    let half = |h: &[u8; 16]| {
        // SAFETY: `h` is 16 readable bytes, and unaligned loads are allowed.
        let x = unsafe { _mm_loadu_si128(h.as_ptr().cast()) };
        let splat = |c: u8| _mm_set1_epi8(c as i8);
        // Signed comparisons: bytes of 0x80 and above are negative, so in no range.
        let within = |v, lo: u8, hi: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(lo - 1)),
                _mm_cmplt_epi8(v, splat(hi + 1)),
            )
        };
        let space = _mm_or_si128(_mm_cmpeq_epi8(x, splat(b' ')), within(x, b'\t', b'\r'));
        let lower = _mm_or_si128(x, splat(0x20));
        let alnum = _mm_or_si128(within(x, b'0', b'9'), within(lower, b'a', b'z'));
        (
            _mm_movemask_epi8(space) as u32 & 0xffff,
            _mm_movemask_epi8(alnum) as u32 & 0xffff,
            // 0xC0–0xFF are -64..-1.
            _mm_movemask_epi8(_mm_and_si128(
                _mm_cmpgt_epi8(x, splat(0xbf)),
                _mm_cmplt_epi8(x, splat(0)),
            )) as u32
                & 0xffff,
        )
    };
    let (lo, hi) = b.split_at(16);
    let (Ok(lo), Ok(hi)) = (<&[u8; 16]>::try_from(lo), <&[u8; 16]>::try_from(hi)) else {
        unreachable!("32 bytes split in two halves of 16")
    };
    let ((s0, a0, h0), (s1, a1, h1)) = (half(lo), half(hi));
    (s0 | s1 << 16, a0 | a1 << 16, h0 | h1 << 16)
}

/// [`classify32`] eight bytes at a time in a `u64`, for any processor.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(super) fn classify32_swar(b: &[u8; 32]) -> (u32, u32, u32) {
    let (mut spaces, mut alnums, mut leads) = (0u32, 0u32, 0u32);
    for (k, c) in b.as_chunks::<8>().0.iter().enumerate() {
        let x = u64::from_le_bytes(*c);
        let (s, a, h) = classify8(x);
        spaces |= u32::from(s) << (8 * k);
        alnums |= u32::from(a) << (8 * k);
        leads |= u32::from(h) << (8 * k);
    }
    (spaces, alnums, leads)
}

/// Bit masks (bit k for byte k) of the ASCII spaces, the ASCII letters and digits and the
/// bytes of 0xC0 and above among eight bytes, with per-byte arithmetic that cannot carry
/// between bytes (the high bits are cleared first).
pub(super) fn classify8(x: u64) -> (u8, u8, u8) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let high = x & HIGH;
    // 0xC0 and above: both top bits set.
    let leads = high & (x << 1);
    let x = x & !HIGH;
    // High bit of each byte: byte >= n (n <= 0x80), byte == c.
    let ge = |x: u64, n: u8| ((x | HIGH) - ONES * u64::from(n)) & HIGH;
    let eq = |x: u64, c: u8| !((x ^ (ONES * u64::from(c))) + ONES * 0x7f) & HIGH;
    let space = (eq(x, b' ') | (ge(x, b'\t') & !ge(x, b'\r' + 1))) & !high;
    let lower = x | (ONES * 0x20);
    let alnum =
        ((ge(x, b'0') & !ge(x, b'9' + 1)) | (ge(lower, b'a') & !ge(lower, b'z' + 1))) & !high;
    // Gather the eight high bits into one byte, byte k's at bit k.
    let pack = |m: u64| ((m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8;
    (pack(space), pack(alnum), pack(leads))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_word_count_matches_the_general_rule() {
        let general = |t: &str| {
            t.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
        };
        for t in [
            "",
            " ",
            "one",
            " two  words ",
            "a - b -- c",
            "tab\tnew\nline\r\nvt\x0bff\x0cend",
            "... 42 !!",
            "x\x1fy",
            "smart ‘quotes’ — dashes\u{a0}nbsp\u{2003}em space ünïcödé 日本語",
            "— – …",
            // Two-byte characters (a table decides them): Arabic with its marks and digits,
            // Hebrew, Cyrillic, Greek, and the two-byte spaces (U+0085, U+00A0).
            "نص عربي مع تشكيل: مَرْحَبًا ، ١٢٣ ؟ ـ",
            "עברית ־ שלום",
            "Привет, мир — «ёлка»",
            "Ελληνικά ; ·",
            "\u{85}x\u{a0}y\u{a0}\u{a0}z ¡¿ © ¶",
            "ab\u{7ff}cd \u{80} \u{5be}",
        ] {
            assert_eq!(count_words(t), general(t), "{t:?}");
        }
        // Every two-byte character, between spaces and letters.
        for cp in 0x80u32..0x800 {
            if let Some(c) = char::from_u32(cp) {
                for t in [format!("a{c}b"), format!(" {c} "), format!("x {c}{c} y{c}")] {
                    assert_eq!(count_words(&t), general(&t), "{t:?}");
                }
            }
        }
        // Random ASCII texts over an alphabet of spaces, letters, digits and punctuation.
        let alphabet = b" \t\n\x0b\x0c\raZ09.,-(\"'\x1f*";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..1500 {
            let text: String = (0..len % 150)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[(seed >> 33) as usize % alphabet.len()] as char
                })
                .collect();
            assert_eq!(count_words(&text), general(&text), "{text:?}");
        }
        // Random mixed texts: characters of one to four bytes land on every position of a
        // block and straddle its ends.
        let chars = [
            ' ', 'a', '.', '\u{a0}', 'é', 'ع', '،', '\u{2003}', '日', '—', '𝒳', '\u{85}',
        ];
        for len in 0..2000 {
            let text: String = (0..len % 90)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    chars[(seed >> 33) as usize % chars.len()]
                })
                .collect();
            assert_eq!(count_words(&text), general(&text), "{text:?}");
        }
    }

    #[test]
    fn both_classifiers_agree_on_every_ascii_byte_at_every_position() {
        let slow = |b: u8| {
            (
                matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
                b.is_ascii_alphanumeric(),
            )
        };
        for byte in 0..=0xffu8 {
            for pos in 0..32 {
                // The byte among neighbours of every kind.
                let mut block = *b"a b.c9 d\te,f g-h Z i(j k0l m\nn;x";
                block[pos] = byte;
                let (spaces, alnums, leads) = classify32_swar(&block);
                #[cfg(target_arch = "x86_64")]
                assert_eq!(
                    classify32(&block),
                    (spaces, alnums, leads),
                    "{byte:#x} at {pos}"
                );
                for (k, &b) in block.iter().enumerate() {
                    let (space, alnum) = slow(b);
                    assert_eq!(spaces >> k & 1 == 1, space, "{b:#x} at {k}");
                    assert_eq!(alnums >> k & 1 == 1, alnum, "{b:#x} at {k}");
                    assert_eq!(leads >> k & 1 == 1, b >= 0xc0, "{b:#x} at {k}");
                }
            }
        }
    }
}
