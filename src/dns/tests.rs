//! The DNS stage against an in-process authoritative server (hickory-server) on 127.0.0.1 with
//! fixture zones. No test touches the network.

use super::*;
use crate::config::Config;
use crate::engine::Engine;
use crate::signatures::Signatures;
use hickory_server::Server;
use hickory_server::proto::rr::LowerName;
use hickory_server::proto::serialize::txt::Parser;
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};
use std::net::SocketAddr;
use std::sync::Arc;

const COM: &str = "$ORIGIN com.
@ 60 IN SOA ns.invalid. admin.invalid. 1 3600 600 86400 60
good-sender 60 IN MX 10 mx.good-sender.com.
mx.good-sender 60 IN A 192.0.2.1
webonly-sender 60 IN A 192.0.2.2
nomail-sender 60 IN TXT \"no mail here\"
strict-sender 60 IN MX 10 mx.good-sender.com.
_dmarc.strict-sender 60 IN TXT \"v=DMARC1; p=reject; rua=mailto:d@strict-sender.com\"
bad-site 60 IN A 192.0.2.3
";

const DBL: &str = "$ORIGIN dbl.example.org.
@ 60 IN SOA ns.invalid. admin.invalid. 1 3600 600 86400 60
bad-site.com 60 IN A 127.0.1.2
refused-site.com 60 IN A 127.255.255.254
";

/// An authoritative server for the fixture zones, alive as long as the value.
struct TestServer {
    addr: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

fn start() -> TestServer {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let addr = runtime.block_on(async {
        let mut catalog = Catalog::new();
        for zone in [COM, DBL] {
            let (origin, records) = Parser::new(zone, None, None).parse().unwrap();
            let handler: InMemoryZoneHandler = InMemoryZoneHandler::new(
                origin.clone(),
                records,
                ZoneType::Primary,
                AxfrPolicy::Deny,
            )
            .unwrap();
            catalog.upsert(LowerName::new(&origin), vec![Arc::new(handler)]);
        }
        let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = udp.local_addr().unwrap();
        let mut server = Server::new(catalog);
        server.register_socket(udp);
        // The server runs on the runtime's worker until the runtime is dropped.
        std::mem::forget(server);
        addr
    });
    TestServer {
        addr,
        _runtime: runtime,
    }
}

fn config(server: SocketAddr) -> Config {
    let mut c = Config::default();
    c.dns.enabled = true;
    c.dns.servers = vec![server.to_string()];
    c.dns.timeout_ms = 1000;
    c.dns.budget_ms = 3000;
    c
}

fn rules(config: Config, raw: &str) -> Vec<String> {
    let engine = Engine::new(config, Signatures::embedded().unwrap());
    assert_eq!(engine.dns_error(), None);
    engine
        .scan(raw.as_bytes())
        .unwrap()
        .findings
        .into_iter()
        .map(|f| f.rule)
        .filter(|r| r.starts_with("DNS_"))
        .collect()
}

#[test]
fn sender_domains_that_do_not_exist_or_take_no_mail() {
    let server = start();
    let c = || config(server.addr);
    assert_eq!(
        rules(c(), "From: a@missing-sender.com\nSubject: s\n\nx\n"),
        ["DNS_SENDER_NXDOMAIN"]
    );
    assert_eq!(
        rules(c(), "From: a@mail.nomail-sender.com\nSubject: s\n\nx\n"),
        ["DNS_SENDER_NO_MAIL"]
    );
    assert!(rules(c(), "From: a@good-sender.com\nSubject: s\n\nx\n").is_empty());
    assert!(rules(c(), "From: a@webonly-sender.com\nSubject: s\n\nx\n").is_empty());
}

#[test]
fn dmarc_reject_without_aligned_authentication() {
    let server = start();
    let mut c = config(server.addr);
    c.auth.trusted_authserv_ids = vec!["mx.example.co.jp".into()];
    let failing = "Authentication-Results: mx.example.co.jp; spf=fail smtp.mailfrom=evil.example.net\n\
From: a@strict-sender.com\nSubject: s\n\nx\n";
    let found = rules(c.clone(), failing);
    assert!(
        found.contains(&"DNS_DMARC_POLICY_UNALIGNED".to_string()),
        "{found:?}"
    );
    let aligned = failing.replace(
        "spf=fail smtp.mailfrom=evil.example.net",
        "dkim=pass header.d=strict-sender.com",
    );
    assert!(rules(c.clone(), &aligned).is_empty());
    // Without trusted results there is nothing to judge alignment by.
    let mut untrusted = c;
    untrusted.auth.trusted_authserv_ids.clear();
    assert!(rules(untrusted, failing).is_empty());
}

#[test]
fn link_domains_on_a_configured_blocklist() {
    let server = start();
    let mut c = config(server.addr);
    let raw = "From: a@good-sender.com\nSubject: s\nContent-Type: text/html\n\n\
<a href=\"https://www.bad-site.com/login\">x</a> <a href=\"https://refused-site.com/\">y</a>\n";
    // No zone configured: no blocklist look-up.
    assert!(rules(c.clone(), raw).is_empty());
    c.dns.dnsbl_zones = vec!["dbl.example.org".into()];
    assert_eq!(rules(c, raw), ["DNS_LISTED"]);
}

#[test]
fn with_dns_off_nothing_is_asked() {
    // A socket that would receive any query.
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_nonblocking(true).unwrap();
    let mut c = config(sock.local_addr().unwrap());
    c.dns.enabled = false;
    c.dns.dnsbl_zones = vec!["dbl.example.org".into()];
    let found = rules(
        c,
        "From: a@missing-sender.com\nSubject: s\n\n<https://bad-site.com/>\n",
    );
    assert!(found.is_empty());
    let mut buf = [0u8; 512];
    assert!(sock.recv_from(&mut buf).is_err(), "a query was sent");
}

/// A silent server: the stage gives up within its budget. Bounded by work, not by the clock (a
/// loaded machine makes timings flaky): the look-ups asked stay within `max_lookups`, and the
/// scan returns with no finding instead of waiting.
#[test]
fn a_silent_server_costs_at_most_the_budget() {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut c = config(sock.local_addr().unwrap());
    c.dns.timeout_ms = 200;
    c.dns.budget_ms = 400;
    c.dns.max_lookups = 3;
    c.dns.dnsbl_zones = vec!["dbl.example.org".into()];
    let found = rules(
        c,
        "From: a@missing-sender.com\nSubject: s\n\n<https://a.bad-site.com/> <https://b.example.net/> <https://c.example.org/>\n",
    );
    assert!(found.is_empty());
    sock.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 512];
    let mut asked = 0;
    while sock.recv_from(&mut buf).is_ok() {
        asked += 1;
    }
    assert!(
        (1..=3).contains(&asked),
        "{asked} queries for max_lookups = 3"
    );
}

#[test]
fn answers_parse() {
    let txt = |s: &str| RData::TXT(hickory_resolver::proto::rr::rdata::TXT::new(vec![s.into()]));
    assert_eq!(
        dmarc_policy(&[txt("v=spf1 -all"), txt("v=DMARC1; p=quarantine; pct=100")]).as_deref(),
        Some("quarantine")
    );
    let a = |ip: [u8; 4]| RData::A(hickory_resolver::proto::rr::rdata::A(ip.into()));
    assert_eq!(
        listed_code(&a([127, 0, 1, 2])).as_deref(),
        Some("127.0.1.2")
    );
    assert_eq!(listed_code(&a([127, 255, 255, 254])), None);
    assert_eq!(listed_code(&a([192, 0, 2, 1])), None);
}
