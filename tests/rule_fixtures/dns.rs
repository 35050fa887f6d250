//! Fixtures for the DNS rules: an in-process authoritative server on 127.0.0.1 (hickory-server)
//! answers for the fixture zones; nothing leaves the machine.

use super::Fixture;
use hickory_server::Server;
use hickory_server::proto::rr::LowerName;
use hickory_server::proto::serialize::txt::Parser;
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};
use lurescreen::Config;
use std::sync::Arc;

const ZONES: [&str; 2] = [
    "$ORIGIN com.
@ 60 IN SOA ns.invalid. admin.invalid. 1 3600 600 86400 60
nomail-sender 60 IN TXT \"no mail here\"
strict-sender 60 IN MX 10 mx.strict-sender.com.
mx.strict-sender 60 IN A 192.0.2.1
_dmarc.strict-sender 60 IN TXT \"v=DMARC1; p=reject\"
",
    "$ORIGIN dbl.example.org.
@ 60 IN SOA ns.invalid. admin.invalid. 1 3600 600 86400 60
bad-site.com 60 IN A 127.0.1.2
",
];

/// Starts the server for the rest of the test process and returns its address.
fn server() -> std::net::SocketAddr {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let addr = runtime.block_on(async {
        let mut catalog = Catalog::new();
        for zone in ZONES {
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
        std::mem::forget(server);
        addr
    });
    std::mem::forget(runtime);
    addr
}

pub fn fixtures() -> Vec<Fixture> {
    let addr = server();
    let mut c = Config::default();
    c.dns.enabled = true;
    c.dns.servers = vec![addr.to_string()];
    c.dns.dnsbl_zones = vec!["dbl.example.org".into()];
    c.auth.trusted_authserv_ids = vec!["mx.example.co.jp".into()];
    let m = |s: &str| s.as_bytes().to_vec();
    vec![
        (
            "DNS_SENDER_NXDOMAIN",
            c.clone(),
            m("From: a@missing-sender.com\nSubject: s\n\nx\n"),
        ),
        (
            "DNS_SENDER_NO_MAIL",
            c.clone(),
            m("From: a@nomail-sender.com\nSubject: s\n\nx\n"),
        ),
        (
            "DNS_DMARC_POLICY_UNALIGNED",
            c.clone(),
            m(
                "Authentication-Results: mx.example.co.jp; spf=fail smtp.mailfrom=evil.example.net\nFrom: a@strict-sender.com\nSubject: s\n\nx\n",
            ),
        ),
        (
            "DNS_LISTED",
            c,
            m(
                "From: a@strict-sender.com\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://www.bad-site.com/\">x</a>\n",
            ),
        ),
    ]
}
