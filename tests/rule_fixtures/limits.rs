//! Fixtures for the limits that cut what the checks read (header, body text, links).

use super::Fixture;
use lurescreen::Config;

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let mut fields = b"From: a@example.com\nSubject: many fields\n".to_vec();
    for i in 0..1100 {
        fields.extend_from_slice(format!("X-Pad-{i}: x\n").as_bytes());
    }
    fields.extend_from_slice(b"\nbody\n");
    let mut text = b"From: a@example.com\nSubject: long\n\n".to_vec();
    text.extend(std::iter::repeat_n(b'a', 250_000));
    text.extend_from_slice(b"\nplease verify your password\n");
    let mut links = b"From: a@example.com\nSubject: links\n\n".to_vec();
    for i in 0..5100 {
        links.extend_from_slice(format!("https://a{i}.example/\n").as_bytes());
    }
    vec![
        ("LIMIT_HEADER", d(), fields),
        ("LIMIT_TEXT", d(), text),
        ("LIMIT_LINKS", d(), links),
    ]
}
