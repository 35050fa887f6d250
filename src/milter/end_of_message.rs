//! The answer at end of message. A transaction begun while shutting down gets 421; a message
//! over the in-flight budget or the size limit, or one that ends while too many scans are past
//! their deadline, gets the failure or oversize action unscanned; any other is scanned
//! (`scan_job`). Then the plan is carried out (`apply`), one line is logged and the metrics
//! counted.

use super::apply::apply;
use super::log::{MessageLine, log_error, log_value};
use super::plan::{self, Decision, Plan, Received, Unscanned};
use super::scan_job::{self, MAX_OVERDUE_SCANS};
use super::session::{SHUTTING_DOWN, Session, macro_value};
use super::shared::Shared;
use crate::config::Config;
use indymilter::{EomContext, SetErrorReply, Status};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Answers the end of a message: the scan, the actions and the log line.
pub(super) async fn end_of_message(shared: &Arc<Shared>, cx: &mut EomContext<Session>) -> Status {
    let started = Instant::now();
    // Escaped once here: the queue id goes into every log line about the message.
    let queue_id = log_value(&macro_value(&cx.macros, "i").unwrap_or_else(|| "-".into()));
    let Some(session) = cx.data.as_mut() else {
        return Status::Accept;
    };
    if session.deferred {
        session.end_transaction(&shared.activity);
        session.start_message();
        shared.log.message(
            &format!("qid={queue_id} not scanned: shutting down action=tempfail"),
            serde_json::json!({
                "qid": queue_id,
                "unscanned": "shutting_down",
                "action": "tempfail",
            }),
        );
        shared.metrics.message(
            None,
            Some("shutting_down"),
            "tempfail",
            &[],
            started.elapsed().as_secs_f64(),
        );
        let _ = cx
            .reply
            .set_error_reply("421", Some("4.3.2"), [SHUTTING_DOWN]);
        return Status::Tempfail;
    }
    let received = std::mem::take(&mut session.received);
    let envelope = std::mem::take(&mut session.envelope);
    // Held until the scan is over (the bytes stay in memory that long).
    let reservation = std::mem::take(&mut session.reservation);
    let over_budget = std::mem::take(&mut session.over_budget);
    session.end_transaction(&shared.activity);
    let engine = shared.engine();
    let lang = shared.lang();
    let config = engine.config();
    let size = received.header_size().saturating_add(received.body_size);

    let overdue = shared.activity.overdue.load(Ordering::Acquire);
    // For the metrics: the verdict, or why there is none; the rules found.
    let mut verdict = None;
    let mut unscanned: Option<&'static str> = None;
    let mut found: Vec<String> = Vec::new();
    let mut score = 0.0;
    let (plan, summary) = if over_budget {
        unscanned = Some("over_budget");
        let error = format!(
            "not scanned: messages in progress hold milter.max_body_bytes_in_flight ({} bytes)",
            shared.activity.budget.limit()
        );
        let (plan, _) = fail(&received, config, error.clone());
        (plan, error)
    } else if !received.complete() || size > config.limits.max_message_bytes {
        unscanned = Some("too_large");
        let why = Unscanned::TooLarge(size);
        (
            plan::for_unscanned(&received, &why, config),
            "not scanned: too large".to_string(),
        )
    } else if overdue >= MAX_OVERDUE_SCANS {
        unscanned = Some("scans_past_deadline");
        fail(
            &received,
            config,
            format!("not scanned: {overdue} earlier scans are still running past their deadline"),
        )
    } else {
        let received = Arc::new(received);
        let scanned = scan_job::scan(
            shared,
            &engine,
            lang,
            &received,
            &envelope,
            reservation,
            &queue_id,
        )
        .await;
        match scanned {
            Ok((plan, report)) => {
                let rules: Vec<&str> = report.rule_scores().into_iter().map(|(r, _)| r).collect();
                verdict = Some(report.verdict);
                score = (report.score * 10.0).round() / 10.0;
                found = rules.iter().map(|r| r.to_string()).collect();
                let summary = format!(
                    "verdict={} score={:.1} rules={}",
                    report.verdict,
                    report.score,
                    if rules.is_empty() {
                        "-".to_string()
                    } else {
                        rules.join(",")
                    }
                );
                (plan, summary)
            }
            Err((reason, error)) => {
                unscanned = Some(reason);
                fail(&received, config, error)
            }
        }
    };
    let status = apply(&shared.log, &plan, cx, &queue_id).await;
    let action = match (&plan.decision, &plan.quarantine, status) {
        (_, _, Status::Tempfail) => "tempfail",
        (Decision::Reject(_), _, _) => "reject",
        (_, Some(_), _) => "hold",
        _ => "accept",
    };
    MessageLine {
        queue_id: &queue_id,
        summary: &summary,
        scanned: verdict.map(|v| (v, score, found.as_slice())),
        unscanned,
        action,
        client: envelope.client_addr.as_deref(),
        mail_from: envelope.mail_from.as_deref(),
        rcpts: envelope.rcpt_to.len(),
        size,
        ms: started.elapsed().as_millis(),
    }
    .write(&shared.log);
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    shared.metrics.message(
        verdict,
        unscanned,
        action,
        &found,
        started.elapsed().as_secs_f64(),
    );
    status
}

fn fail(received: &Received, config: &Config, error: String) -> (Plan, String) {
    let plan = plan::for_unscanned(received, &Unscanned::Failed(error.clone()), config);
    (plan, format!("error=\"{}\"", log_error(&error)))
}
