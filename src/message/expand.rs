//! Containers opened up: archives, disk images, documents with embedded files. Each file inside
//! becomes an attachment of its own, with its nesting path (`2/orders.zip!/scan.pdf.lnk`), so
//! every attachment check sees it like any other attachment.
//!
//! An opener recognises one container format from the bytes, lists what it holds within the
//! per-message budget, and may report findings about the container itself (encrypted, over
//! limits). Openers never run anything and never touch the file system.

use super::opener::{Budget, Opened, Opener};
use super::{Attachment, Message, containers, links::MAX_LINKS};
use crate::config::Limits;
use crate::finding::Finding;
use crate::signatures::Lists;

/// Bodies taken from containers into one message's texts, at most.
const MAX_CONTAINER_BODIES: usize = 32;

/// The container formats a parse opens, tried in order, which files are documents one of
/// them reads (named when the time budget runs out before them), and the signature lists the
/// openers judge by.
#[derive(Clone, Copy)]
pub struct Openers<'a> {
    pub list: &'static [(&'static str, Opener)],
    pub is_document: fn(&Attachment) -> bool,
    /// Handed to every opener in its `Budget`. The engine passes its signatures' lists
    /// (`engine::openers::with_lists`); the tables written as constants have none.
    pub lists: Option<&'a Lists>,
}

/// The containers this layer reads itself: archives, disk images, Outlook items. The engine
/// passes the complete table (`engine::openers::ALL`), which adds the document readers of the
/// layers above (PDF, Office, Ichitaro, HTML) in their places.
pub const CONTAINERS: Openers<'static> = Openers {
    list: &[
        ("zip", containers::zip::open),
        ("outlook", containers::outlook::open),
        ("tnef", containers::tnef::open),
        ("gzip", containers::gzip::open),
        ("tar", containers::tar::open),
        ("7z", containers::sevenz::open),
        ("rar", containers::rar::open),
        ("disk image", containers::diskimage::open),
        ("onenote", containers::onenote::open),
    ],
    is_document: is_ole_or_rtf,
    lists: None,
};

/// An OLE2 compound file or an RTF document: Office formats a document reader may open.
pub fn is_ole_or_rtf(att: &Attachment) -> bool {
    att.data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || att.data.starts_with(b"{\\rt")
}

/// Opens every container among the message's attachments, breadth first, to
/// `limits.max_container_depth` levels; children are appended to `msg.attachments` and
/// container findings to `msg.structural`.
pub fn expand(msg: &mut Message, limits: &Limits, openers: &Openers) {
    expand_with(
        msg,
        limits,
        openers.list,
        openers.is_document,
        openers.lists,
    );
}

fn expand_with(
    msg: &mut Message,
    limits: &Limits,
    openers: &[(&str, Opener)],
    is_document: fn(&Attachment) -> bool,
    lists: Option<&Lists>,
) {
    let mut budget = Budget {
        lists,
        ..Budget::until(limits, msg.deadline)
    };
    // Containers left unopened because the time budget ran out: the first one and how many.
    let mut late_at: Option<usize> = None;
    let mut late_count = 0;
    // Containers nesting stopped at: the first one and how many.
    let mut too_deep_at: Option<(usize, &'static str)> = None;
    let mut too_deep_count = 0;
    let mut bodies_taken = 0;
    let mut parsed_links = super::links::Parsed::default();
    let mut i = 0;
    while i < msg.attachments.len() {
        if msg.attachments[i].depth < limits.max_container_depth && budget.out_of_time() {
            if containers::format_of(&msg.attachments[i].data).is_some()
                || is_document(&msg.attachments[i])
            {
                late_at = late_at.or(Some(i));
                late_count += 1;
            }
        } else if msg.attachments[i].depth < limits.max_container_depth {
            let mut opened = Opened::default();
            for (_, open) in openers {
                if open(&msg.attachments[i], &mut budget, &mut opened) {
                    break;
                }
            }
            let parent = &msg.attachments[i];
            let (location, depth) = (parent.location.clone(), parent.depth + 1);
            containers::add_findings(&mut msg.structural, opened.findings, limits);
            msg.attachments[i].encrypted |= opened.encrypted;
            if opened.office.is_some() {
                msg.attachments[i].office = opened.office;
            }
            for mut link in opened.links {
                if msg.links.len() >= MAX_LINKS {
                    break;
                }
                link.location = format!("link {} in {location}", msg.links.len() + 1);
                msg.links.push(link);
            }
            for body in opened.bodies {
                if bodies_taken >= MAX_CONTAINER_BODIES {
                    break;
                }
                bodies_taken += 1;
                let here = format!("{location}!/{}", body.name);
                if body.html {
                    super::links::from_html(&body.text, &here, &mut msg.links, &mut parsed_links);
                    msg.htmls.push(super::TextPart {
                        location: here,
                        text: body.text,
                        charset: None,
                    });
                } else {
                    super::links::from_text(&body.text, &here, &mut msg.links, &mut parsed_links);
                    msg.texts.push(super::TextPart {
                        location: here,
                        text: body.text,
                        charset: None,
                    });
                }
            }
            for child in opened.children {
                msg.attachments.push(Attachment {
                    location: format!("{location}!/{}", child.name.as_deref().unwrap_or("")),
                    name: child.name,
                    content_type: child
                        .content_type
                        .unwrap_or_else(|| "application/octet-stream".into()),
                    data: child.data,
                    depth,
                    parent: Some(i),
                    ..Attachment::default()
                });
            }
        } else if let Some(format) = too_deep(&msg.attachments[i]) {
            too_deep_at = too_deep_at.or(Some((i, format)));
            too_deep_count += 1;
        }
        i += 1;
    }
    if let Some(at) = late_at {
        let att = &msg.attachments[at];
        let name = containers::display_name(att);
        msg.structural.push(
            budget
                .time_finding(
                    &att.location,
                    format!("opening {late_count} container(s) from {name}"),
                )
                .with(
                    "skipped_ja",
                    format!("{name} 以降の {late_count} 個のコンテナを開くこと"),
                ),
        );
    }
    if let Some((at, format)) = too_deep_at {
        let att = &msg.attachments[at];
        msg.structural.push(
            Finding::new("ARCHIVE_TOO_DEEP", &att.location)
                .with("name", containers::display_name(att))
                .with("format", format)
                .with("limit", limits.max_container_depth.to_string())
                .with("count", too_deep_count.to_string()),
        );
    }
}

/// The archive format of a container that nesting stopped at. An Office document (a zip with
/// `[Content_Types].xml`) at the limit is not an archive nested too deep.
fn too_deep(att: &Attachment) -> Option<&'static str> {
    let format = containers::format_of(&att.data)?;
    let ooxml = format == "zip"
        && att
            .data
            .windows(b"[Content_Types].xml".len())
            .any(|w| w == b"[Content_Types].xml");
    (!ooxml).then_some(format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::opener::Child;
    use std::time::Instant;

    /// A toy container: `BOX:` then names separated by commas, each child a box of its own.
    fn boxes(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
        let Some(list) = att.data.strip_prefix(b"BOX:") else {
            return false;
        };
        for name in list.split(|&b| b == b',').filter(|n| !n.is_empty()) {
            if budget.entries_left == 0 {
                out.findings
                    .push(Finding::new("TEST_BUDGET", &att.location));
                break;
            }
            budget.entries_left -= 1;
            out.children.push(Child {
                name: Some(String::from_utf8_lossy(name).into_owned()),
                data: b"BOX:a,b".to_vec(),
                content_type: None,
            });
        }
        true
    }

    fn message() -> Message {
        Message {
            attachments: vec![Attachment {
                location: "2/outer.box".into(),
                name: Some("outer.box".into()),
                data: b"BOX:x.exe,y.pdf".to_vec(),
                ..Attachment::default()
            }],
            ..Message::default()
        }
    }

    #[test]
    fn children_get_nesting_paths_and_depth_is_bounded() {
        let mut msg = message();
        let limits = Limits {
            max_container_depth: 2,
            ..Limits::default()
        };
        expand_with(&mut msg, &limits, &[("box", boxes)], is_ole_or_rtf, None);
        let paths: Vec<_> = msg
            .attachments
            .iter()
            .map(|a| a.location.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "2/outer.box",
                "2/outer.box!/x.exe",
                "2/outer.box!/y.pdf",
                "2/outer.box!/x.exe!/a",
                "2/outer.box!/x.exe!/b",
                "2/outer.box!/y.pdf!/a",
                "2/outer.box!/y.pdf!/b",
            ]
        );
        assert_eq!(msg.attachments[3].depth, 2);
        assert_eq!(msg.attachments[3].parent, Some(1));
    }

    #[test]
    fn archives_nesting_stopped_at_are_reported_once_with_a_count() {
        // Two zips at depth 2 inside a zip inside a zip: both stop there.
        let inner = crate::message::containers::zip::tests::zip_of(&[("a.txt", b"a")]);
        let mid =
            crate::message::containers::zip::tests::zip_of(&[("x.zip", &inner), ("y.zip", &inner)]);
        let mut msg = Message {
            attachments: vec![Attachment {
                location: "2/outer.zip".into(),
                name: Some("outer.zip".into()),
                data: crate::message::containers::zip::tests::zip_of(&[("mid.zip", &mid)]),
                ..Attachment::default()
            }],
            ..Message::default()
        };
        let limits = Limits {
            max_container_depth: 2,
            ..Limits::default()
        };
        expand(&mut msg, &limits, &crate::engine::openers::ALL);
        let deep: Vec<_> = msg
            .structural
            .iter()
            .filter(|f| f.rule == "ARCHIVE_TOO_DEEP")
            .collect();
        assert_eq!(deep.len(), 1);
        assert_eq!(deep[0].location, "2/outer.zip!/mid.zip!/x.zip");
        assert_eq!(deep[0].evidence[3], ("count".into(), "2".into()));
    }

    #[test]
    fn a_spent_time_budget_leaves_containers_closed_and_says_so() {
        let inner = crate::message::containers::zip::tests::zip_of(&[("a.exe", b"MZ")]);
        let mut msg = Message {
            attachments: vec![
                Attachment {
                    location: "2/a.zip".into(),
                    name: Some("a.zip".into()),
                    data: inner.clone(),
                    ..Attachment::default()
                },
                Attachment {
                    location: "3/b.zip".into(),
                    data: inner,
                    ..Attachment::default()
                },
            ],
            deadline: Some(Instant::now()),
            ..Message::default()
        };
        expand(&mut msg, &Limits::default(), &crate::engine::openers::ALL);
        assert_eq!(msg.attachments.len(), 2, "nothing opened");
        let f = msg
            .structural
            .iter()
            .find(|f| f.rule == "LIMIT_TIME_BUDGET")
            .expect("time finding");
        assert_eq!(f.location, "2/a.zip");
        assert!(
            f.evidence[1].1.contains("2 container(s) from a.zip"),
            "{:?}",
            f.evidence
        );
    }

    #[test]
    fn a_listing_stops_when_the_time_budget_runs_out() {
        let names: Vec<String> = (0..100).map(|i| format!("f{i}.txt")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let att = Attachment {
            location: "2/a.zip".into(),
            data: crate::message::containers::zip::tests::zip_of(&entries),
            ..Attachment::default()
        };
        let mut budget = Budget::until(&Limits::default(), Some(Instant::now()));
        let mut out = Opened::default();
        assert!(crate::message::containers::zip::open(
            &att,
            &mut budget,
            &mut out
        ));
        assert!(out.children.is_empty());
        assert_eq!(out.findings[0].rule, "LIMIT_TIME_BUDGET");
    }

    #[test]
    fn the_entry_budget_is_shared_by_the_whole_message() {
        let mut msg = message();
        let limits = Limits {
            max_container_depth: 10,
            max_expanded_entries: 5,
            ..Limits::default()
        };
        expand_with(&mut msg, &limits, &[("box", boxes)], is_ole_or_rtf, None);
        assert_eq!(msg.attachments.len(), 6);
        assert!(msg.structural.iter().any(|f| f.rule == "TEST_BUDGET"));
    }
}
