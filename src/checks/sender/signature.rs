//! The signature block: a body signed with an address of one organisation, sent from another
//! (IPA: 署名の内容と差出人のアドレスが異なる). Typical of a targeted attack from a free mail
//! account posing as a company's staff.

use crate::checks::Context;
use crate::checks::common::is_freemail;
use crate::checks::text::body_text;
use crate::finding::Finding;
use crate::text::domain::{domain_in_text, org_domain};
use regex::Regex;
use std::sync::LazyLock;

/// Lines read as the signature when there is no `-- ` delimiter.
const TAIL_LINES: usize = 8;
/// Lines read after a `-- ` delimiter.
const SIGNATURE_LINES: usize = 15;

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9][a-z0-9._%+-]*@([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b")
        .expect("valid address regex")
});

static WEB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?://|\bwww\.)[^\s<>()「」、。]+").expect("valid web regex")
});

/// Where quoted or forwarded text begins: a signature is looked for above it. The marker is
/// the first line that matches `REPLY_MARKER` or `WROTE_LINE` (each matches only at a line's
/// start, so the earlier of their first matches is what one regex of both would find).
static REPLY_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^(?:>|-{2,}\s*original message|-{2,}\s*forwarded|-{3,}\s*元のメッセージ|begin forwarded message|from:\s|差出人:|送信者:|.{0,200}(?:書きました|のメッセージ)[:：]?\s*$|_{10,})",
    )
    .expect("valid reply marker regex")
});

/// A line ending in `wrote:` (`On Monday, Jane wrote:`). Its Unicode word boundary keeps the
/// fast engine off any text that is not ASCII, so it is kept apart from `REPLY_MARKER` and
/// searched only from the first line holding `wrote:` (the letters have no case folds but
/// ASCII's), where a match can first begin.
static WROTE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?im)^.{0,200}\bwrote:\s*$").expect("valid wrote regex"));

/// Where the first reply marker in `body` begins.
fn reply_marker(body: &str) -> Option<usize> {
    let marker = REPLY_MARKER.find(body).map(|m| m.start());
    let wrote = crate::text::html_text::find_ascii_ci(body, "wrote:").and_then(|at| {
        let line = body[..at].rfind('\n').map_or(0, |n| n + 1);
        WROTE_LINE.find(&body[line..]).map(|m| line + m.start())
    });
    match (marker, wrote) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A mail program's own line at the end of a message ("Sent with my Delta Chat Messenger:
/// https://delta.chat", "Get Outlook for iOS", "Gesendet von meinem iPhone"): it names the
/// program that sent the mail, not an organisation the sender claims to belong to.
static APP_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:sent (?:with|from|using|via)\b|get \S+(?: \S+)? for (?:ios|android|windows|mac)|download \S+(?: \S+)? for (?:ios|android)|gesendet (?:mit|von)\b|envoy[ée] (?:de|avec|depuis)\b|enviado (?:desde|con|de)\b|inviato da\b|verzonden (?:met|vanaf)\b|から送信$)",
    )
    .expect("valid app footer regex")
});

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    // Mailing lists add footers with their own addresses where a signature would be.
    if crate::checks::common::is_list_mail(msg) {
        return;
    }
    let Some((from_address, from_domain)) = msg
        .from
        .iter()
        .find_map(|m| Some((m.address.clone()?, m.domain()?)))
    else {
        return;
    };
    if crate::message::auth_results::from_authenticated(msg, &ctx.config.auth.trusted_authserv_ids)
    {
        return;
    }
    let from_org = org_domain(&from_domain);
    // Companies' staff sign with partners' addresses, newsletters end in unsubscribe addresses:
    // what matters is a private free mail account signing as an organisation.
    if !is_freemail(ctx, &from_domain) {
        return;
    }
    let body = body_text(msg).replace('＠', "@");
    let own_part = match reply_marker(&body) {
        Some(at) => &body[..at],
        None => body.as_str(),
    };
    let block: String = signature_block(own_part)
        .lines()
        .filter(|l| !APP_FOOTER.is_match(l))
        .collect::<Vec<_>>()
        .join("\n");
    let mut named: Option<(String, String)> = None;
    for c in ADDRESS.captures_iter(&block) {
        let (Some(all), Some(domain)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let domain = domain.as_str().to_lowercase();
        if org_domain(&domain) != from_org && !is_freemail(ctx, &domain) {
            named = Some((all.as_str().to_string(), org_domain(&domain)));
            break;
        }
    }
    // A free mail sender naming a company's web site in the signature claims that company.
    if named.is_none() {
        named = WEB.find_iter(&block).find_map(|m| {
            let host = domain_in_text(m.as_str())?;
            let org = org_domain(&host);
            (org != from_org && !is_freemail(ctx, &host)).then(|| (m.as_str().to_string(), org))
        });
    }
    if let Some((shown, shown_domain)) = named {
        out.push(
            Finding::new("SENDER_SIGNATURE_MISMATCH", "signature")
                .with("named", shown)
                .with("from", from_address)
                .with("named_domain", shown_domain)
                .with("from_domain", from_org),
        );
    }
}

/// The signature of a text: what follows a `-- ` line, else its last lines.
fn signature_block(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if let Some(i) = lines.iter().rposition(|l| l.trim_end() == "--") {
        return lines
            .iter()
            .skip(i + 1)
            .take(SIGNATURE_LINES)
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut tail: Vec<&str> = lines
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(TAIL_LINES)
        .copied()
        .collect();
    tail.reverse();
    tail.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::signatures::Signatures;

    /// The two searches of `reply_marker` find where the one regex they came from finds, on
    /// texts made of reply markers, near misses, other scripts and line breaks.
    #[test]
    fn reply_marker_is_where_the_single_regex_finds_it() {
        let single = Regex::new(
            r"(?im)^(?:>|-{2,}\s*original message|-{2,}\s*forwarded|-{3,}\s*元のメッセージ|begin forwarded message|from:\s|差出人:|送信者:|.{0,200}\bwrote:\s*$|.{0,200}(?:書きました|のメッセージ)[:：]?\s*$|_{10,})",
        )
        .unwrap();
        const PIECES: &[&str] = &[
            "\n",
            "\n",
            "\r\n",
            " ",
            "Jane ",
            "Jürgen",
            "é",
            "日本",
            "wrote:",
            "WROTE:",
            "rewrote:",
            "éwrote:",
            "_wrote:",
            "wrote: yes",
            "wrote",
            ":",
            "> ",
            ">",
            "From: ",
            "from:x",
            "-- Original Message",
            "__________",
            "差出人:",
            "さんは書きました:",
            "のメッセージ：",
            "Begin forwarded message",
            "text",
            "\t",
            "\u{3000}",
        ];
        let mut generated = crate::text::generated::Generated::new(0x9e37_79b9_7f4a_7c15);
        let mut found = 0;
        for _ in 0..20_000 {
            let text: String = (0..1 + generated.next() % 12)
                .map(|_| generated.pick(PIECES))
                .collect();
            let expected = single.find(&text).map(|m| m.start());
            assert_eq!(reply_marker(&text), expected, "{text:?}");
            found += usize::from(expected.is_some());
        }
        assert!(found > 2000, "too few texts hold a marker: {found}");
        // A long line: `wrote:` past 200 characters from the line's start is no marker.
        let long = format!("{}wrote:\nnext", "x ".repeat(101));
        assert_eq!(reply_marker(&long), single.find(&long).map(|m| m.start()));
        assert_eq!(reply_marker(&long), None);
    }

    fn run(raw: &str) -> Vec<Finding> {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        check(
            &Context {
                msg: &msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn free_mail_sender_signing_as_a_company() {
        let f = run("From: 山田 <yamada.minato@gmail.com>\nSubject: s\n\n\
お世話になっております。\n資料をお送りします。\n\n--\n株式会社みなと物流 経理部 山田\nyamada＠minato-butsuryu.co.jp\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[0].1, "yamada@minato-butsuryu.co.jp");
        let f = run(
            "From: Taro <taro@gmail.com>\n\nHello\n\nTaro Yamada\nACME Ltd.\nhttps://www.acme.example.com/\n",
        );
        assert_eq!(f[0].evidence[2].1, "example.com");
    }

    #[test]
    fn same_domain_personal_addresses_quotes_and_lists_are_fine() {
        assert!(run("From: a@gmail.com\n\nHi\n--\nA\na@gmail.com\n").is_empty());
        assert!(run("From: a@gmail.com\n\nHi\n--\nA (also: a.san@yahoo.co.jp)\n").is_empty());
        assert!(run("From: a@gmail.com\n\nSure.\n\nOn Mon, B <b@other.example> wrote:\n> hi\n> --\n> b@other.example\n").is_empty());
        assert!(
            run("From: a@gmail.com\nList-Id: <x.lists.example>\n\nHi\n--\nlist: x@lists.example\n")
                .is_empty()
        );
        assert!(run("From: a@example.co.jp\n\nHi\n--\nA\nb@other.example\n").is_empty());
        // The mail program's own footer names the program, not the sender's employer.
        assert!(
            run("From: a@gmx.de\n\nHi\n\nSent with my Delta Chat Messenger: https://delta.chat\n")
                .is_empty()
        );
        assert!(
            run("From: a@gmail.com\n\nHi\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n")
                .is_empty()
        );
        assert!(!run("From: a@gmail.com\n\nHi\n\nSent by the ACME Ltd. accounts team\nhttps://www.acme.example/\n").is_empty());
        // A company sender linking to another site in its signature is ordinary.
        assert!(
            run("From: a@example.co.jp\n\nHi\n--\nA\nhttps://www.partner.example/\n").is_empty()
        );
    }
}
