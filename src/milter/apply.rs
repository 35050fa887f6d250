//! Carrying out a plan at end of message: the SMTP answer, then the header, subject and body
//! changes and the hold, each a milter action the MTA may refuse.

use super::log::{Log, log_error};
use super::plan::{Decision, Plan};
use super::session::Session;
use indymilter::{ContextActions, EomContext, SetErrorReply, Status};

/// Carries out a plan; any action the MTA refuses turns into a tempfail, so nothing is delivered
/// half-marked.
pub(super) async fn apply(
    log: &Log,
    plan: &Plan,
    cx: &mut EomContext<Session>,
    queue_id: &str,
) -> Status {
    match &plan.decision {
        Decision::Reject(text) => {
            let _ = cx
                .reply
                .set_error_reply("550", Some("5.7.1"), [text.as_str()]);
            return Status::Reject;
        }
        Decision::Tempfail(text) => {
            let _ = cx
                .reply
                .set_error_reply("451", Some("4.7.1"), [text.as_str()]);
            return Status::Tempfail;
        }
        Decision::Accept => {}
    }
    let actions = &cx.actions;
    let result: Result<(), indymilter::ActionError> = async {
        for (name, index) in &plan.remove {
            actions
                .change_header(name.as_str(), *index, None::<&str>)
                .await?;
        }
        for (n, (name, value)) in plan.insert.iter().enumerate() {
            actions
                .insert_header(n as i32, name.as_str(), value.as_str())
                .await?;
        }
        match &plan.subject {
            Some((true, value)) => {
                actions
                    .change_header("Subject", 1, Some(value.as_str()))
                    .await?
            }
            Some((false, value)) => actions.add_header("Subject", value.as_str()).await?,
            None => {}
        }
        if let Some(body) = &plan.body {
            actions.replace_body(body).await?;
        }
        if let Some(reason) = &plan.quarantine {
            actions.quarantine(reason.as_str()).await?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Status::Accept,
        Err(e) => {
            log.event(&format!(
                "qid={queue_id} error=\"milter action refused by the MTA: {}\"",
                log_error(&e.to_string())
            ));
            let _ = cx.reply.set_error_reply(
                "451",
                Some("4.7.1"),
                ["lurescreen could not mark the message, try again later"],
            );
            Status::Tempfail
        }
    }
}
