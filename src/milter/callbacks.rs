//! The milter callbacks up to end of message: they keep the envelope, the header fields and as
//! much of the body as the limits and the in-flight budget allow, count transactions for a
//! drained shutdown, and agree with the MTA which stages need no answer.

use super::end_of_message::end_of_message;
use super::log::log_value;
use super::session::{SHUTTING_DOWN, Session, macro_value, text};
use super::shared::Shared;
use indymilter::{Actions, Callbacks, Context, ProtoOpts, SetErrorReply, SocketInfo, Status};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// Stages whose callbacks always continue, so the MTA need not wait for their answer. MAIL FROM
/// is among them: while shutting down, a transaction is deferred at end of message instead
/// (an MTA that does not offer to skip the MAIL FROM answer gets the 421 there).
const NOREPLY: ProtoOpts = ProtoOpts::NOREPLY_CONNECT
    .union(ProtoOpts::NOREPLY_HELO)
    .union(ProtoOpts::NOREPLY_MAIL)
    .union(ProtoOpts::NOREPLY_RCPT)
    .union(ProtoOpts::NOREPLY_DATA)
    .union(ProtoOpts::NOREPLY_HEADER)
    .union(ProtoOpts::NOREPLY_EOH)
    .union(ProtoOpts::NOREPLY_BODY)
    .union(ProtoOpts::NOREPLY_UNKNOWN);

/// The milter callbacks, all sharing `shared`.
pub fn callbacks(shared: Arc<Shared>) -> Callbacks<Session> {
    let (s1, s2, s3, s4, s5, s6) = (
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
    );
    Callbacks::new()
        .on_connect(|cx, _hostname, socket| {
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(Session::default);
                session.client_addr = match socket {
                    SocketInfo::Inet(addr) => Some(addr.ip().to_string()),
                    _ => None,
                };
                session.go_on(ProtoOpts::NOREPLY_CONNECT)
            })
        })
        .on_helo(|cx, helo| {
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(Session::default);
                session.helo = Some(text(&helo));
                session.go_on(ProtoOpts::NOREPLY_HELO)
            })
        })
        .on_mail(move |cx: &mut Context<Session>, args| {
            let shared = Arc::clone(&s1);
            Box::pin(async move {
                let auth = macro_value(&cx.macros, "{auth_authen}");
                let mail_from = args.first().map(|a| text(a));
                let session = cx.data.get_or_insert_with(Session::default);
                let draining = shared.activity.draining.load(Ordering::SeqCst);
                if draining && !session.noreply.contains(ProtoOpts::NOREPLY_MAIL) {
                    let from =
                        log_value(mail_from.as_deref().unwrap_or("").trim_matches(['<', '>']));
                    shared.log.message(
                        &format!("qid=- not scanned: shutting down action=tempfail from=<{from}>"),
                        serde_json::json!({
                            "qid": "-",
                            "unscanned": "shutting_down",
                            "action": "tempfail",
                            "from": from,
                        }),
                    );
                    let _ = cx
                        .reply
                        .set_error_reply("421", Some("4.3.2"), [SHUTTING_DOWN]);
                    return Status::Tempfail;
                }
                session.end_transaction(&shared.activity);
                session.start_message();
                // Counted even when deferred, so the daemon stays to give its end of message
                // the 421 (within the shutdown grace).
                session.in_transaction = true;
                session.deferred = draining;
                shared.activity.in_flight.fetch_add(1, Ordering::SeqCst);
                session.envelope.mail_from = mail_from;
                session.envelope.auth_user = auth;
                session.go_on(ProtoOpts::NOREPLY_MAIL)
            })
        })
        .on_rcpt(|cx, args| {
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(Session::default);
                if let Some(rcpt) = args.first()
                    && session.envelope.rcpt_to.len() < 10_000
                {
                    session.envelope.rcpt_to.push(text(rcpt));
                }
                session.go_on(ProtoOpts::NOREPLY_RCPT)
            })
        })
        .on_header(move |cx, name, value| {
            let shared = Arc::clone(&s2);
            Box::pin(async move {
                let limit = shared.engine().config().limits.max_message_bytes;
                let session = cx.data.get_or_insert_with(Session::default);
                let size = name.to_bytes().len() + value.to_bytes().len() + 4;
                let kept = session.header_bytes < limit
                    && session.received.headers.len() < 100_000
                    && !session.over_budget
                    && session.reservation.grow(&shared.activity.budget, size);
                if kept {
                    session.header_bytes += size;
                    session.received.headers.push((text(&name), text(&value)));
                } else {
                    // Counted, so that the message is known to be incomplete and never scanned
                    // or passed as if it were whole.
                    let r = &mut session.received;
                    if session.header_bytes < limit && r.headers.len() < 100_000 {
                        session.over_budget = true;
                    }
                    r.drop_field(&text(&name), size);
                }
                session.go_on(ProtoOpts::NOREPLY_HEADER)
            })
        })
        .on_body(move |cx, chunk| {
            let shared = Arc::clone(&s3);
            Box::pin(async move {
                let limit = shared.engine().config().limits.max_message_bytes;
                let session = cx.data.get_or_insert_with(Session::default);
                let header_bytes = session.header_bytes;
                let r = &mut session.received;
                r.body_size = r.body_size.saturating_add(chunk.len());
                let room = limit.saturating_sub(header_bytes + r.body.len());
                let keep = chunk.len().min(room);
                if keep > 0 && !session.over_budget {
                    if session.reservation.grow(&shared.activity.budget, keep) {
                        r.body.extend_from_slice(&chunk[..keep]);
                    } else {
                        session.over_budget = true;
                    }
                }
                session.go_on(ProtoOpts::NOREPLY_BODY)
            })
        })
        .on_eom(move |cx| {
            let shared = Arc::clone(&s4);
            Box::pin(async move { end_of_message(&shared, cx).await })
        })
        .on_abort(move |cx| {
            let shared = Arc::clone(&s5);
            Box::pin(async move {
                if let Some(session) = cx.data.as_mut() {
                    session.end_transaction(&shared.activity);
                    session.start_message();
                }
                Status::Continue
            })
        })
        .on_close(move |cx| {
            let shared = Arc::clone(&s6);
            Box::pin(async move {
                if let Some(session) = cx.data.as_mut() {
                    session.end_transaction(&shared.activity);
                }
                Status::Continue
            })
        })
        .on_negotiate(|cx, mta_actions, mta_opts| {
            Box::pin(async move {
                // Assign, do not add to, what the MTA offers (CRATES.md). Only what it offers:
                // an MTA that does not allow one of them is still served, and a message that
                // needs the missing action gets 451 at end of message (`apply`).
                cx.requested_actions = (Actions::ADD_HEADER
                    | Actions::CHANGE_HEADER
                    | Actions::REPLACE_BODY
                    | Actions::QUARANTINE)
                    & mta_actions;
                // Every stage but end of message needs no answer: the MTA does not wait for one,
                // which saves a round trip per stage, header line and body chunk.
                cx.requested_opts |= mta_opts & NOREPLY;
                cx.data.get_or_insert_with(Session::default).noreply = cx.requested_opts & NOREPLY;
                Status::Continue
            })
        })
}
