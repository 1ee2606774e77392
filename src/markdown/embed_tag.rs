//! The tag of an embed, `{{< name positional key="value" >}}`, read into an [`EmbedCall`]:
//! its name, arguments and what is wrong with them.

use super::EmbedCall;

/// Parses `{{< name positional key="value" key='v' key=bare >}}`.
pub(super) fn parse_tag(tag: &str) -> EmbedCall {
    let inner = tag.trim_start_matches("{{<").trim_end_matches(">}}").trim();
    let mut call = EmbedCall {
        name: String::new(),
        positional: None,
        args: Vec::new(),
        body: None,
        body_src: None,
        span: 0..0,
        error: None,
    };
    let mut chars = inner.char_indices().peekable();
    let mut tokens: Vec<(Option<String>, String)> = Vec::new();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let _ = i;
        // A key (up to `=`) or a bare word.
        let mut word = String::new();
        let mut value: Option<String> = None;
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            if c == '=' {
                chars.next();
                value = Some(read_value(&mut chars, &mut call));
                break;
            }
            if c == '"' || c == '\'' || c == '\u{201c}' {
                word = read_value(&mut chars, &mut call);
                break;
            }
            word.push(c);
            chars.next();
        }
        match value {
            Some(v) => tokens.push((Some(word), v)),
            None => tokens.push((None, word)),
        }
    }
    let mut tokens = tokens.into_iter();
    match tokens.next() {
        Some((None, name)) => call.name = name,
        _ => {
            call.error = Some("an embed starts with its name, e.g. {{< cite a-res-71-1 >}}".into());
            return call;
        }
    }
    for (key, value) in tokens {
        match key {
            Some(k) => call.args.push((k, value)),
            None if call.positional.is_none() && call.args.is_empty() => {
                call.positional = Some(value)
            }
            None => {
                call.error.get_or_insert(format!(
                    "`{value}` needs a name: write it as key=\"{value}\""
                ));
            }
        }
    }
    call
}

pub(super) fn read_value(
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
    call: &mut EmbedCall,
) -> String {
    let mut v = String::new();
    let quote = match chars.peek() {
        Some(&(_, q @ ('"' | '\''))) => {
            chars.next();
            Some(q)
        }
        Some(&(_, '\u{201c}')) => {
            chars.next();
            Some('\u{201d}')
        }
        _ => None,
    };
    for (_, c) in chars.by_ref() {
        match quote {
            Some(q) if c == q => return v,
            None if c.is_whitespace() => return v,
            _ => v.push(c),
        }
    }
    if quote.is_some() {
        call.error
            .get_or_insert("a quoted value is not closed: add the missing quote".into());
    }
    v
}

/// An embed tag inside a paragraph of text (`Text.\n{{< cite x >}}`): not an embed, and it
/// would be published as its own source text; the call carries the error that says so.
/// Tags inside code spans (`` `{{< cite x >}}` ``) are examples and stay text.
pub(super) fn stray_embed(para: &str, base: usize) -> Option<EmbedCall> {
    let mut from = 0;
    while let Some(i) = para[from..].find("{{<").map(|i| from + i) {
        from = i + 3;
        let in_code = para[..i].bytes().filter(|&b| b == b'`').count() % 2 == 1;
        let line_end = para[i..].find('\n').map_or(para.len(), |e| i + e);
        let Some(close) = para[i..line_end].find(">}}") else {
            continue;
        };
        if in_code {
            continue;
        }
        let mut call = parse_tag(&para[i..i + close + 3]);
        call.span = base + i..base + i + close + 3;
        call.error = Some(
            "an embed must stand on its own line, with empty lines around it; here it is \
             part of a paragraph, and would be published as text"
                .into(),
        );
        return Some(call);
    }
    None
}
