//! The links of an HTML text read by hand: `<a href>` and `<area href>` with the text inside each
//! `<a href>`, exactly as lol_html's walk hands them to the link reader
//! (`message::links::from_html`), or `None` where the text holds something this reading does not
//! follow (SVG or MathML, script escapes, `<plaintext>`, a text that ends inside markup, very deep
//! nesting, a link text whose length limit falls where the walk's pieces decide), and the caller
//! walks it with lol_html.
//!
//! It follows lol_html's tokenizer (data, RCDATA, RAWTEXT and script data states, tags and their
//! attributes, comments, doctypes, bogus comments) and its selector stack: every HTML element but
//! the void ones is pushed, an end tag pops up to the last open element of its name, and a text
//! belongs to the links while an `<a href>` is open. A tenth of the cost of the walk it stands
//! for, measured on real mail; `tests` hold it to the walk on many generated texts.

/// A link as the walk finds it: the raw `href` value (`""` for an attribute without a value)
/// and, for `<a>`, the raw text inside it (`None` for `<area>`).
pub type Anchor<'a> = (&'a str, Option<String>);

/// Open elements beyond which the reading gives up (lol_html's own limit is far above).
const MAX_DEPTH: usize = 2000;

/// What lol_html makes of a start tag, by its name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    A,
    Area,
    /// An element never pushed on the stack.
    Void,
    /// RCDATA and RAWTEXT follow: text up to the element's own end tag.
    Raw,
    /// Script data follows: as `Raw`, unless `<!` makes it escaped (then the reading gives up).
    Script,
    /// SVG, MathML, `<plaintext>`, a long name: the reading gives up.
    GiveUp,
    Other,
}

/// The kind of a start tag named `name` (ASCII case ignored, as lol_html's name hash ignores it).
fn kind(name: &[u8]) -> Kind {
    let mut lower = [0u8; 12];
    let Some(to) = lower.get_mut(..name.len()) else {
        return if long_hashed_name(name) {
            Kind::GiveUp
        } else {
            Kind::Other
        };
    };
    to.copy_from_slice(name);
    to.make_ascii_lowercase();
    match &*to {
        b"a" => Kind::A,
        b"area" => Kind::Area,
        b"base" | b"basefont" | b"bgsound" | b"br" | b"col" | b"embed" | b"hr" | b"img"
        | b"input" | b"keygen" | b"link" | b"meta" | b"param" | b"source" | b"track" | b"wbr" => {
            Kind::Void
        }
        b"textarea" | b"title" | b"style" | b"iframe" | b"xmp" | b"noembed" | b"noframes"
        | b"noscript" => Kind::Raw,
        b"script" => Kind::Script,
        b"svg" | b"math" | b"plaintext" => Kind::GiveUp,
        _ => Kind::Other,
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0C')
}

/// Bytes that end a tag's name: white space, `/` and `>`.
const NAME_END: u8 = 1;
/// Bytes that end an attribute's name: those and `=`.
const ATTRIBUTE_NAME_END: u8 = 2;
/// Bytes that end an unquoted value: white space and `>`.
const VALUE_END: u8 = 4;

/// For each byte, which of the ends above it is (a table: tags are read a byte at a time).
static ENDS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let space = matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'\x0C');
        if space || c == b'/' || c == b'>' {
            table[b] |= NAME_END | ATTRIBUTE_NAME_END;
        }
        if c == b'=' {
            table[b] |= ATTRIBUTE_NAME_END;
        }
        if space || c == b'>' {
            table[b] |= VALUE_END;
        }
        b += 1;
    }
    table
};

/// Where the first byte of `b` from `at` that is one of `end` is.
fn find_end(b: &[u8], at: usize, end: u8) -> Option<usize> {
    b.get(at..)?
        .iter()
        .position(|&c| ENDS[usize::from(c)] & end != 0)
        .map(|i| at + i)
}

/// Whether lol_html's hash of a tag name could collide with another's (13 characters or more,
/// all of them hashed): the reading gives up rather than follow it.
fn long_hashed_name(name: &[u8]) -> bool {
    name.len() > 12
        && name
            .iter()
            .all(|b| b.is_ascii_alphabetic() || (b'1'..=b'6').contains(b))
}

/// What `tag_end` finds of a tag.
struct TagEnd {
    /// The index past its `>`.
    end: usize,
    /// Whether the `>` came where a value was expected (`<x a=>`), after which lol_html reads
    /// data whatever the element.
    data_after: bool,
    /// Where its first `href` value is.
    href: Option<(usize, usize)>,
}

/// A tag's end: `at` is just past its name (in lol_html's before-attribute-name state).
fn tag_end(b: &[u8], mut at: usize) -> Option<TagEnd> {
    let mut href = None;
    let note = |href: &mut Option<(usize, usize)>, name: (usize, usize), value: (usize, usize)| {
        if href.is_none() && b.get(name.0..name.1)?.eq_ignore_ascii_case(b"href") {
            *href = Some(value);
        }
        Some(())
    };
    loop {
        // Before an attribute's name.
        let c = *b.get(at)?;
        if is_space(c) {
            at += 1;
            continue;
        }
        if c == b'/' {
            // Self-closing start tag state: `>` ends the tag, anything else is read again.
            if *b.get(at + 1)? == b'>' {
                return Some(TagEnd {
                    end: at + 2,
                    data_after: false,
                    href,
                });
            }
            at += 1;
            continue;
        }
        if c == b'>' {
            return Some(TagEnd {
                end: at + 1,
                data_after: false,
                href,
            });
        }
        // An attribute's name, its first byte whatever it is.
        let start = at;
        at = find_end(b, at + 1, ATTRIBUTE_NAME_END)?;
        let name = (start, at);
        // After the name.
        while is_space(*b.get(at)?) {
            at += 1;
        }
        if *b.get(at)? != b'=' {
            // No value: `/`, `>` or the next name, read in the before-name state.
            note(&mut href, name, (at, at))?;
            continue;
        }
        at += 1;
        while is_space(*b.get(at)?) {
            at += 1;
        }
        match *b.get(at)? {
            quote @ (b'"' | b'\'') => {
                let len = memchr::memchr(quote, b.get(at + 1..)?)?;
                note(&mut href, name, (at + 1, at + 1 + len))?;
                at += len + 2;
            }
            b'>' => {
                note(&mut href, name, (at, at))?;
                return Some(TagEnd {
                    end: at + 1,
                    data_after: true,
                    href,
                });
            }
            _ => {
                let from = at;
                at = find_end(b, at, VALUE_END)?;
                note(&mut href, name, (from, at))?;
            }
        }
    }
}

/// Where the end tag that closes raw text named `name` begins, searched from `from`: `</name`
/// (ASCII case ignored) followed by white space, `/` or `>`.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = at + memchr::memmem::find(b.get(at..)?, b"</")?;
        let after = lt + 2 + name.len();
        if b.get(lt + 2..after)?.eq_ignore_ascii_case(name.as_bytes()) {
            let next = *b.get(after)?;
            if is_space(next) || matches!(next, b'/' | b'>') {
                return Some(lt);
            }
        }
        at = lt + 1;
    }
}

/// Where a comment whose text begins at `from` ends (past its `>`).
fn comment_end(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    if rest.starts_with(b">") {
        return Some(from + 1);
    }
    if rest.starts_with(b"->") {
        return Some(from + 2);
    }
    let mut at = 0;
    loop {
        let dashes = at + memchr::memmem::find(rest.get(at..)?, b"--")?;
        match rest.get(dashes + 2..) {
            Some([b'>', ..]) => return Some(from + dashes + 3),
            Some([b'!', b'>', ..]) => return Some(from + dashes + 4),
            _ => at = dashes + 1,
        }
    }
}

/// The links lol_html's walk finds in `html` (see the module), at most `room` of them, or
/// `None`. A link's text stops growing once it reaches `max_text` bytes, as in the walk.
pub fn anchors(html: &str, room: usize, max_text: usize) -> Option<Vec<Anchor<'_>>> {
    let b = html.as_bytes();
    let mut found: Vec<Anchor<'_>> = Vec::new();
    // Open elements: name, and whether it is an `<a href>`.
    let mut stack: Vec<(&str, bool)> = Vec::new();
    let mut open_links = 0usize;
    // The text not yet handed out begins at `text`; markup is searched from `at`.
    let mut text = 0;
    let mut at = 0;
    let give = |found: &mut Vec<Anchor<'_>>, open_links: usize, piece: &str| {
        if open_links == 0 || piece.is_empty() {
            return Some(());
        }
        if let Some((_, Some(t))) = found.last_mut()
            && t.len() < max_text
        {
            // The walk hands a text out in pieces that end at its `<`s, and adds each piece
            // while the link's text is shorter than `max_text`: where that limit falls inside a
            // text holding a `<`, which pieces count is the walk's to say.
            if t.len() + piece.len() >= max_text && memchr::memchr(b'<', piece.as_bytes()).is_some()
            {
                return None;
            }
            t.push_str(piece);
        }
        Some(())
    };
    loop {
        let Some(lt) = memchr::memchr(b'<', b.get(at..)?).map(|i| at + i) else {
            give(&mut found, open_links, html.get(text..)?)?;
            return Some(found);
        };
        let next = *b.get(lt + 1)?;
        if next.is_ascii_alphabetic() {
            // A start tag.
            give(&mut found, open_links, html.get(text..lt)?)?;
            let name_end = find_end(b, lt + 1, NAME_END)?;
            let name = html.get(lt + 1..name_end)?;
            let kind = kind(name.as_bytes());
            if kind == Kind::GiveUp {
                return None;
            }
            let TagEnd {
                end,
                data_after,
                href,
            } = tag_end(b, name_end)?;
            let is_link = kind == Kind::A && href.is_some();
            if let Some((from, to)) = href
                && matches!(kind, Kind::A | Kind::Area)
                && found.len() < room
            {
                found.push((html.get(from..to)?, is_link.then(String::new)));
            }
            if !matches!(kind, Kind::Void | Kind::Area) {
                if stack.len() >= MAX_DEPTH {
                    return None;
                }
                stack.push((name, is_link));
                open_links += usize::from(is_link);
            }
            text = end;
            at = end;
            match kind {
                Kind::Raw | Kind::Script if data_after => return None,
                Kind::Raw | Kind::Script => {
                    // Without its end tag, the rest of the text is the element's.
                    let close = raw_text_end(b, end, name);
                    let stop = close.unwrap_or(b.len());
                    if kind == Kind::Script
                        && memchr::memmem::find(b.get(end..stop)?, b"<!").is_some()
                    {
                        return None;
                    }
                    give(&mut found, open_links, html.get(end..stop)?)?;
                    let Some(close) = close else {
                        return Some(found);
                    };
                    // The end tag is read as any other below.
                    text = close;
                    at = close;
                }
                _ => {}
            }
            continue;
        }
        match next {
            b'/' => {
                let after = *b.get(lt + 2)?;
                give(&mut found, open_links, html.get(text..lt)?)?;
                let end = if after.is_ascii_alphabetic() {
                    let name_end = find_end(b, lt + 2, NAME_END)?;
                    let name = html.get(lt + 2..name_end)?;
                    if long_hashed_name(name.as_bytes()) {
                        return None;
                    }
                    let end = tag_end(b, name_end)?.end;
                    if let Some(open) = stack
                        .iter()
                        .rposition(|(n, _)| n.eq_ignore_ascii_case(name))
                    {
                        open_links -= stack.drain(open..).filter(|(_, link)| *link).count();
                    }
                    end
                } else if after == b'>' {
                    lt + 3
                } else {
                    lt + 2 + memchr::memchr(b'>', b.get(lt + 2..)?)? + 1
                };
                text = end;
                at = end;
            }
            b'!' => {
                give(&mut found, open_links, html.get(text..lt)?)?;
                let end = if b.get(lt + 2..lt + 4)? == b"--" {
                    comment_end(b, lt + 4)?
                } else {
                    // A doctype or a bogus comment: both end at the first `>`.
                    lt + 2 + memchr::memchr(b'>', b.get(lt + 2..)?)? + 1
                };
                text = end;
                at = end;
            }
            b'?' => {
                give(&mut found, open_links, html.get(text..lt)?)?;
                let end = lt + 2 + memchr::memchr(b'>', b.get(lt + 2..)?)? + 1;
                text = end;
                at = end;
            }
            // `<` and what follows are text.
            _ => at = lt + 1,
        }
    }
}
