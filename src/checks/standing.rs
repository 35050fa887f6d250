//! Facts about who stands behind a message and what kind of mail it is: whether its From domain
//! is authenticated (an accountable sender), and whether it is machine-generated mail — a delivery
//! status notification, an auto-reply, a mailing list's copy, a report. These are not findings:
//! they say how much weight context may carry (`score::score`) and let checks read machine
//! mail for what it is. None of them lowers deception or payload evidence.

use crate::checks::Context;
use crate::message::Message;
use crate::text::domain::{org_domain, same_org};

/// Why a sender counts as accountable, or nothing when it does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// The From domain is authenticated: how (`dkim=pass header.d=brand.example` from a trusted
    /// server, or `DKIM-Signature d=brand.example` aligned with From when no trusted server
    /// recorded results).
    pub authenticated: Option<String>,
    /// How an authenticated sender shows that it answers for its mail as an established sender
    /// does: one-click unsubscribe (RFC 8058), or links that mostly go to its own sending
    /// infrastructure. Nothing when it does neither, or is not authenticated.
    pub established: Option<String>,
    /// What kind of machine-generated mail this is, if any.
    pub machine: Option<MachineKind>,
    /// The envelope sender is null (`<>`): nobody can answer the message, as RFC 5321 and 3834
    /// require of notifications and auto-replies.
    pub null_sender: bool,
}

impl Standing {
    /// Whether context findings alone may reach a verdict: only for mail that no accountable
    /// sender or automatic process stands behind. Machine mail counts when it is sent as
    /// notifications are, with the null envelope sender, or from an authenticated From domain:
    /// an `Auto-Submitted` header alone is the sender's own claim, and a lure can write it.
    pub fn accountable(&self) -> bool {
        self.established.is_some()
            || self.machine.is_some() && (self.null_sender || self.authenticated.is_some())
    }
}

/// Machine-generated mail recognised from its structure (RFC 3464, 3834, 2369, 8058 ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineKind {
    /// A delivery status notification (bounce, delay warning).
    DeliveryStatus,
    /// A read receipt (message disposition notification).
    Disposition,
    /// An abuse or DMARC/TLS report (ARF, DMARC aggregate or failure, TLS-RPT).
    Report,
    /// An auto-reply (out of office, vacation).
    AutoReply,
}

impl MachineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MachineKind::DeliveryStatus => "delivery-status",
            MachineKind::Disposition => "disposition",
            MachineKind::Report => "report",
            MachineKind::AutoReply => "auto-reply",
        }
    }
}

/// The standing of the message in `ctx`.
pub fn assess(ctx: &Context<'_>) -> Standing {
    let authenticated = authenticated_from(ctx);
    let established = authenticated
        .as_ref()
        .and_then(|_| established_marks(ctx.msg));
    Standing {
        authenticated,
        established,
        machine: machine_kind(ctx.msg),
        null_sender: null_sender(ctx.msg),
    }
}

/// Whether the message comes from an established sender: an authenticated From domain with the
/// marks of `established_marks`.
pub fn established_sender(ctx: &Context<'_>) -> bool {
    authenticated_from(ctx).is_some() && established_marks(ctx.msg).is_some()
}

/// The marks of an established sender beyond authentication. A domain that signs its own mail
/// may still be a throw-away one registered for a campaign; what such a sender rarely does is
/// offer one-click unsubscribe (RFC 8058, which the large mailbox providers require of bulk
/// senders), or send most of its links to its own infrastructure — a lure must send them to the
/// page it wants typed into, so for it to look established its page must sit on the very domain
/// that signed it.
fn established_marks(msg: &Message) -> Option<String> {
    let one_click = header(msg, "list-unsubscribe-post").is_some_and(|v| {
        v.to_ascii_lowercase()
            .contains("list-unsubscribe=one-click")
    }) && header(msg, "list-unsubscribe").is_some();
    if one_click {
        return Some("one-click unsubscribe".into());
    }
    let sending = sending_domains(msg);
    let hosts: Vec<&str> = msg.links.iter().filter_map(|l| l.host.as_deref()).collect();
    let own = hosts
        .iter()
        .filter(|h| sending.contains(&org_domain(h)))
        .count();
    (!hosts.is_empty() && own * 2 >= hosts.len())
        .then(|| format!("{own} of {} links to its own sending domains", hosts.len()))
}

/// How the From domain is authenticated, if it is. A free mail domain never counts: anyone can
/// open a mailbox there, so its signature vouches for no organisation.
///
/// When a trusted receiving server recorded results, only those count (a pass it verified).
/// Without one, a DKIM-Signature whose signing domain is the From's registrable domain counts:
/// it is unverified, but it only ever caps the weight of context (wording, layout), never
/// deception or payload evidence, so forging one buys a lure nothing that makes it a lure.
pub fn authenticated_from(ctx: &Context<'_>) -> Option<String> {
    let msg = ctx.msg;
    let from = msg.from.first().and_then(|m| m.domain())?;
    if msg.from.len() != 1
        || crate::checks::common::is_freemail(ctx, &from)
        || crate::checks::common::on_shared_platform(ctx, &from)
    {
        return None;
    }
    let trusted = &ctx.config.auth.trusted_authserv_ids;
    let results = crate::message::auth_results::trusted_results(msg, trusted);
    if !results.is_empty() {
        return results.iter().find_map(|r| {
            let aligned = r.result == "pass"
                && match r.method.as_str() {
                    "dkim" => r.prop("header.d").is_some_and(|d| same_org(d, &from)),
                    "dmarc" => r.prop("header.from").is_none_or(|d| same_org(d, &from)),
                    _ => false,
                };
            aligned.then(|| {
                let d = r
                    .prop("header.d")
                    .or_else(|| r.prop("header.from"))
                    .unwrap_or(&from);
                format!("{}=pass {}", r.method, d)
            })
        });
    }
    dkim_signing_domains(msg)
        .into_iter()
        .find(|d| same_org(d, &from))
        .map(|d| format!("DKIM-Signature d={d}"))
}

/// The `d=` of every DKIM-Signature field, lower-cased (unverified claims).
pub fn dkim_signing_domains(msg: &Message) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, value) in &msg.headers {
        if !name.eq_ignore_ascii_case("dkim-signature") {
            continue;
        }
        for tag in value.split(';') {
            let Some((k, v)) = tag.split_once('=') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("d") {
                let d = v.trim().trim_end_matches('.').to_ascii_lowercase();
                if !d.is_empty() && !out.contains(&d) {
                    out.push(d);
                }
            }
        }
    }
    out
}

/// The registrable domains of the infrastructure that sent an authenticated message: its From,
/// its DKIM signers and its return path. An ESP's click-tracking host belongs to one of these.
pub fn sending_domains(msg: &Message) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |d: &str| {
        let org = org_domain(d);
        if !org.is_empty() && !out.contains(&org) {
            out.push(org);
        }
    };
    if let Some(d) = msg.from.first().and_then(|m| m.domain()) {
        add(&d);
    }
    for d in dkim_signing_domains(msg) {
        add(&d);
    }
    if let Some(rp) = crate::checks::common::bounce_address(msg)
        && let Some((_, d)) = rp.rsplit_once('@')
    {
        add(d);
    }
    out
}

fn header<'m>(msg: &'m Message, name: &str) -> Option<&'m str> {
    msg.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `report-type` of a top-level multipart/report, lower-cased.
fn report_type(msg: &Message) -> Option<String> {
    let ct = header(msg, "content-type")?.to_ascii_lowercase();
    if !ct.trim_start().starts_with("multipart/report") {
        return None;
    }
    let rest = &ct[ct.find("report-type")? + "report-type".len()..];
    let value = rest.trim_start().strip_prefix('=')?.trim_start();
    let value = value.trim_start_matches('"');
    let end = value
        .find(|c: char| c == '"' || c == ';' || c.is_whitespace())
        .unwrap_or(value.len());
    Some(value[..end].to_string())
}

/// Whether the envelope sender is null (`<>`), as RFC 5321 requires of notifications.
fn null_sender(msg: &Message) -> bool {
    let null = |a: &str| a.trim().trim_matches(['<', '>']).trim().is_empty();
    match msg.envelope.mail_from.as_deref() {
        Some(a) => null(a),
        None => header(msg, "return-path").is_some_and(null),
    }
}

/// A From that names the mail system itself (`MAILER-DAEMON`, `postmaster`).
fn from_mail_system(msg: &Message) -> bool {
    let Some(from) = header(msg, "from") else {
        return false;
    };
    let from = from.to_ascii_lowercase();
    ["mailer-daemon", "postmaster", "mail delivery s"]
        .iter()
        .any(|w| from.contains(w))
}

/// A notification from a mail system itself: machine mail sent with the null envelope sender.
/// Such mail names the system by its host name, often a bare or internal one, so the form of its
/// From address says nothing about deception. (What it carries is still checked.)
pub fn is_mail_system_notice(msg: &Message) -> bool {
    machine_kind(msg).is_some() && null_sender(msg)
}

/// What kind of machine-generated mail the message is, from its structure.
pub fn machine_kind(msg: &Message) -> Option<MachineKind> {
    match report_type(msg).as_deref() {
        Some("delivery-status") => return Some(MachineKind::DeliveryStatus),
        Some("disposition-notification") => return Some(MachineKind::Disposition),
        Some("feedback-report") | Some("tlsrpt") => return Some(MachineKind::Report),
        _ => {}
    }
    if from_mail_system(msg) && (null_sender(msg) || report_type(msg).is_some()) {
        return Some(MachineKind::DeliveryStatus);
    }
    let auto = header(msg, "auto-submitted")
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty() && !v.starts_with("no"));
    if let Some(v) = auto {
        return Some(if v.starts_with("auto-replied") {
            MachineKind::AutoReply
        } else if from_mail_system(msg) || null_sender(msg) {
            MachineKind::DeliveryStatus
        } else {
            MachineKind::Report
        });
    }
    // Auto-responders older than RFC 3834 mark themselves with Precedence or X-Autoreply; with the
    // null envelope sender they answer nothing back, as an auto-reply must.
    let old_style = header(msg, "x-autoreply").is_some()
        || header(msg, "x-autorespond").is_some()
        || header(msg, "precedence").is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "auto_reply" | "bulk" | "junk"
            )
        });
    if old_style && null_sender(msg) {
        return Some(MachineKind::AutoReply);
    }
    if msg
        .subject
        .as_deref()
        .is_some_and(|s| s.trim_start().starts_with("Report Domain:") && s.contains("Report-ID:"))
    {
        return Some(MachineKind::Report);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::signatures::Signatures;

    fn msg(raw: &str) -> Message {
        crate::message::parse(raw.as_bytes(), &Default::default()).unwrap()
    }

    fn standing(raw: &str, trusted: &[&str]) -> Standing {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let mut config = Config::default();
        config.auth.trusted_authserv_ids = trusted.iter().map(|s| s.to_string()).collect();
        let signatures = Signatures::embedded().unwrap();
        let ctx = Context {
            msg: &msg,
            signatures: &signatures,
            config: &config,
        };
        assess(&ctx)
    }

    /// One-click unsubscribe headers (RFC 8058).
    const ONE_CLICK: &str = "List-Unsubscribe: <https://shop.example/u/1>\n\
List-Unsubscribe-Post: List-Unsubscribe=One-Click\n";

    #[test]
    fn aligned_signature_makes_an_organisation_accountable() {
        let raw = format!(
            "DKIM-Signature: v=1; a=rsa-sha256; d=mail.shop.example; s=k1; bh=x; b=y\n{ONE_CLICK}\
From: Shop <news@shop.example>\nSubject: Sale\n\nx\n"
        );
        let s = standing(&raw, &[]);
        assert_eq!(
            s.authenticated.as_deref(),
            Some("DKIM-Signature d=mail.shop.example")
        );
        assert_eq!(s.established.as_deref(), Some("one-click unsubscribe"));
        assert!(s.accountable());
        // Authenticated, but with no mark of an established sender: a domain may be registered
        // for one campaign.
        let bare = raw.replace(ONE_CLICK, "");
        let s = standing(&bare, &[]);
        assert!(s.authenticated.is_some() && !s.accountable());
        // Links that mostly go to the sender's own sending domains are such a mark.
        let linked = bare.replace(
            "Subject: Sale\n\nx\n",
            "Subject: Sale\nContent-Type: text/html\n\n<a href=\"https://click.mail.shop.example/1\">a</a>\
<a href=\"https://shop.example/\">b</a><a href=\"https://social.example/shop\">c</a>\n",
        );
        let s = standing(&linked, &[]);
        assert_eq!(
            s.established.as_deref(),
            Some("2 of 3 links to its own sending domains")
        );
        let elsewhere = linked.replace("https://shop.example/", "https://login.other.example/");
        assert!(!standing(&elsewhere, &[]).accountable());
        // Another organisation's signature vouches for nothing about this From.
        let raw = format!(
            "DKIM-Signature: v=1; d=esp.example; s=k1\n{ONE_CLICK}From: Shop <news@shop.example>\n\nx\n"
        );
        assert!(!standing(&raw, &[]).accountable());
        // Nor does a free mail provider's: anyone can open a mailbox there.
        let raw = format!(
            "DKIM-Signature: v=1; d=gmail.com; s=k1\n{ONE_CLICK}From: Bank <bank.notice@gmail.com>\n\nx\n"
        );
        assert!(!standing(&raw, &[]).accountable());
        // Nor does a shared platform's for a customer's name on it: anyone can open a help desk
        // or a hosting project under any name.
        for (d, from) in [
            ("zendesk.com", "support@trust-auth.zendesk.com"),
            ("firebaseapp.com", "noreply@wallet-verify.firebaseapp.com"),
        ] {
            let raw =
                format!("DKIM-Signature: v=1; d={d}; s=k1\n{ONE_CLICK}From: Desk <{from}>\n\nx\n");
            assert_eq!(standing(&raw, &[]).authenticated, None, "{from}");
        }
    }

    #[test]
    fn trusted_results_replace_the_unverified_signature() {
        let signed = format!("DKIM-Signature: v=1; d=shop.example; s=k1\n{ONE_CLICK}");
        let failed = format!(
            "Authentication-Results: mx.example.co.jp; dkim=fail header.d=shop.example; dmarc=fail header.from=shop.example\n{signed}From: <news@shop.example>\n\nx\n"
        );
        assert!(!standing(&failed, &["mx.example.co.jp"]).accountable());
        // Results from a server that is not trusted are the sender's own words.
        assert!(standing(&failed, &["mx.other.example"]).accountable());
        let passed = format!(
            "Authentication-Results: mx.example.co.jp; dkim=pass header.d=shop.example\n{signed}From: <news@shop.example>\n\nx\n"
        );
        assert_eq!(
            standing(&passed, &["mx.example.co.jp"])
                .authenticated
                .as_deref(),
            Some("dkim=pass shop.example")
        );
    }

    #[test]
    fn machine_mail_is_recognised_from_its_structure() {
        let dsn = "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n\nx\n--b--\n";
        assert_eq!(machine_kind(&msg(dsn)), Some(MachineKind::DeliveryStatus));
        let bare = "Return-Path: <>\nFrom: MAILER-DAEMON\nSubject: Undelivered Mail\n\nx\n";
        assert_eq!(machine_kind(&msg(bare)), Some(MachineKind::DeliveryStatus));
        let vacation = "Auto-Submitted: auto-replied (vacation)\nFrom: a@b.example\n\nx\n";
        assert_eq!(machine_kind(&msg(vacation)), Some(MachineKind::AutoReply));
        let mdn = "From: a@b.example\nContent-Type: multipart/report; report-type=\"disposition-notification\"; boundary=b\n\n--b--\n";
        assert_eq!(machine_kind(&msg(mdn)), Some(MachineKind::Disposition));
        // A MAILER-DAEMON From on ordinary mail from a real return path is just a name.
        let fake = "Return-Path: <x@evil.example>\nFrom: MAILER-DAEMON <x@evil.example>\n\nx\n";
        assert_eq!(machine_kind(&msg(fake)), None);
        let old_style =
            "Return-Path: <>\nPrecedence: bulk\nFrom: a@b.example\nSubject: Thank you\n\nx\n";
        assert_eq!(machine_kind(&msg(old_style)), Some(MachineKind::AutoReply));
        let bulk = old_style.replace("Return-Path: <>", "Return-Path: <news@b.example>");
        assert_eq!(machine_kind(&msg(&bulk)), None);
        let human = "Auto-Submitted: no\nFrom: a@b.example\n\nx\n";
        assert_eq!(machine_kind(&msg(human)), None);
    }

    #[test]
    fn machine_mail_stands_behind_itself_only_sent_as_notifications_are() {
        // A delivery notification with the null sender, and an auto-generated notice from an
        // authenticated domain, are accountable; an Auto-Submitted header on mail that anyone
        // could answer, from a domain that authenticates nothing, is only the sender's claim.
        let dsn = "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n\nx\n--b--\n";
        assert!(standing(dsn, &[]).accountable());
        let claimed = "Auto-Submitted: auto-generated\nReturn-Path: <support@desk.example>\n\
From: Team <support@desk.example>\nSubject: Urgent: verify your account\n\nx\n";
        let s = standing(claimed, &[]);
        assert_eq!(s.machine, Some(MachineKind::Report));
        assert!(!s.accountable());
        let signed = format!("DKIM-Signature: v=1; d=desk.example; s=k1\n{claimed}");
        assert!(standing(&signed, &[]).accountable());
    }
}
