//! The optional DNS stage (`[dns] enabled = true`): look-ups about the domains a message names.
//!
//! Off by default; when off, nothing here runs and no look-up is ever made. When on, each
//! message gets at most `dns.max_lookups` look-ups, each bounded by `dns.timeout_ms` (the
//! resolver itself tries once, so its own wait cannot exceed that), all of them together by
//! `dns.budget_ms`. What is asked:
//! - the From domain's MX, then A/AAAA: a domain that does not exist (NXDOMAIN) or that can
//!   receive no mail is no real sender (`DNS_SENDER_NXDOMAIN`, `DNS_SENDER_NO_MAIL`);
//! - the From domain's DMARC record: `p=reject` or `p=quarantine` while a trusted server saw no
//!   aligned authentication (`DNS_DMARC_POLICY_UNALIGNED`; needs `auth.trusted_authserv_ids`);
//! - each configured DNSBL/URIBL zone for the sender's and the links' registrable domains
//!   (`DNS_LISTED`); none is queried unless listed in `dns.dnsbl_zones`.

use crate::checks::headers::{from_authenticated, trusted_results};
use crate::config::Dns;
use crate::finding::Finding;
use crate::message::Message;
use crate::text::domain::{org_domain, registrable};
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// A resolver and the runtime it runs on, built once with the engine.
pub struct DnsStage {
    runtime: tokio::runtime::Runtime,
    resolver: TokioResolver,
    config: Dns,
}

impl std::fmt::Debug for DnsStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DnsStage")
            .field("config", &self.config)
            .finish()
    }
}

/// What one look-up found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Records(Vec<RData>),
    NoRecords,
    NxDomain,
    /// Timed out, refused, unreachable: says nothing about the domain.
    Failed,
}

impl DnsStage {
    /// Builds the resolver: the configured servers (`IP` or `IP:PORT`), else the system's.
    pub fn new(config: &Dns) -> Result<Self, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("dns: cannot start a runtime: {e}"))?;
        let mut options = ResolverOpts::default();
        options.timeout = Duration::from_millis(config.timeout_ms.max(1));
        options.attempts = 0;
        options.cache_size = 1024;
        let provider = TokioRuntimeProvider::default();
        let builder = if config.servers.is_empty() {
            let mut b = Resolver::builder(provider)
                .map_err(|e| format!("dns: cannot read the system resolver configuration: {e}"))?;
            let system = b.options_mut().clone();
            options.ndots = system.ndots;
            b.with_options(options)
        } else {
            let mut rc = ResolverConfig::from_parts(None, Vec::new(), Vec::new());
            for s in &config.servers {
                let addr = crate::config::dns::parse_server(s)?;
                let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                for c in &mut ns.connections {
                    c.port = addr.port();
                }
                rc.add_name_server(ns);
            }
            Resolver::builder_with_config(rc, provider).with_options(options)
        };
        let resolver = {
            let _guard = runtime.enter();
            builder
                .build()
                .map_err(|e| format!("dns: cannot build the resolver: {e}"))?
        };
        Ok(DnsStage {
            runtime,
            resolver,
            config: config.clone(),
        })
    }

    /// Runs the look-ups for one message within the budget. Runs on a thread of its own, so it
    /// can be called from inside another runtime (the milter's worker threads).
    pub fn check(&self, msg: &Message, trusted_ids: &[String]) -> Vec<Finding> {
        let plan = Plan::for_message(msg, &self.config);
        if plan.is_empty() {
            return Vec::new();
        }
        let authenticated = from_authenticated(msg, trusted_ids);
        let judged = !trusted_results(msg, trusted_ids).is_empty();
        std::thread::scope(|s| {
            s.spawn(|| self.runtime.block_on(self.run(plan, authenticated, judged)))
                .join()
                .unwrap_or_default()
        })
    }

    async fn run(&self, plan: Plan, authenticated: bool, judged: bool) -> Vec<Finding> {
        let deadline = Instant::now() + Duration::from_millis(self.config.budget_ms);
        let mut budget = Budget {
            deadline,
            left: self.config.max_lookups,
            timeout: Duration::from_millis(self.config.timeout_ms.max(1)),
        };
        let mut out = Vec::new();
        if let Some(domain) = &plan.sender {
            match self.ask(&mut budget, domain, RecordType::MX).await {
                Answer::NxDomain => out.push(
                    Finding::new("DNS_SENDER_NXDOMAIN", "From").with("domain", domain.as_str()),
                ),
                Answer::NoRecords => {
                    let a = self.ask(&mut budget, domain, RecordType::A).await;
                    let aaaa = if a == Answer::NoRecords {
                        self.ask(&mut budget, domain, RecordType::AAAA).await
                    } else {
                        Answer::Failed
                    };
                    if a == Answer::NoRecords && aaaa == Answer::NoRecords {
                        out.push(
                            Finding::new("DNS_SENDER_NO_MAIL", "From")
                                .with("domain", domain.as_str()),
                        );
                    }
                }
                _ => {}
            }
            if judged && !authenticated {
                let name = format!("_dmarc.{domain}");
                if let Answer::Records(records) =
                    self.ask(&mut budget, &name, RecordType::TXT).await
                    && let Some(policy) = dmarc_policy(&records)
                    && (policy == "reject" || policy == "quarantine")
                {
                    out.push(
                        Finding::new("DNS_DMARC_POLICY_UNALIGNED", "From")
                            .with("domain", domain.as_str())
                            .with("policy", policy),
                    );
                }
            }
        }
        'zones: for zone in &self.config.dnsbl_zones {
            for (domain, location) in &plan.listed_candidates {
                let name = format!("{domain}.{}", zone.trim_matches('.'));
                if budget.left == 0 || Instant::now() >= budget.deadline {
                    break 'zones;
                }
                if let Answer::Records(records) = self.ask(&mut budget, &name, RecordType::A).await
                    && let Some(code) = records.iter().find_map(listed_code)
                {
                    out.push(
                        Finding::new("DNS_LISTED", location.as_str())
                            .with("domain", domain.as_str())
                            .with("zone", zone.as_str())
                            .with("code", code),
                    );
                }
            }
        }
        out
    }

    /// One look-up, within the budget.
    async fn ask(&self, budget: &mut Budget, name: &str, kind: RecordType) -> Answer {
        let now = Instant::now();
        if budget.left == 0 || now >= budget.deadline {
            return Answer::Failed;
        }
        budget.left -= 1;
        let wait = budget.timeout.min(budget.deadline - now);
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        match tokio::time::timeout(wait, self.resolver.lookup(fqdn.as_str(), kind)).await {
            Ok(Ok(lookup)) => {
                let records: Vec<RData> = lookup
                    .answers()
                    .iter()
                    .filter(|r| r.record_type() == kind)
                    .map(|r| r.data.clone())
                    .collect();
                if records.is_empty() {
                    Answer::NoRecords
                } else {
                    Answer::Records(records)
                }
            }
            Ok(Err(e)) if e.is_nx_domain() => Answer::NxDomain,
            Ok(Err(e)) if e.is_no_records_found() => Answer::NoRecords,
            _ => Answer::Failed,
        }
    }
}

struct Budget {
    deadline: Instant,
    left: usize,
    timeout: Duration,
}

/// The names a message gives to look up.
#[derive(Debug, Default)]
struct Plan {
    /// The From address's registrable domain.
    sender: Option<String>,
    /// Registrable domains for the DNSBL zones, with where they were found.
    listed_candidates: Vec<(String, String)>,
}

impl Plan {
    fn for_message(msg: &Message, config: &Dns) -> Plan {
        let sender = msg
            .from
            .first()
            .and_then(|m| m.domain())
            .and_then(|d| registrable(&d));
        let mut listed_candidates: Vec<(String, String)> = Vec::new();
        if !config.dnsbl_zones.is_empty() {
            if let Some(s) = &sender {
                listed_candidates.push((s.clone(), "From".into()));
            }
            for link in &msg.links {
                if listed_candidates.len() >= config.max_lookups {
                    break;
                }
                let Some(host) = link.host.clone() else {
                    continue;
                };
                if host.parse::<IpAddr>().is_ok() || host.starts_with('[') {
                    continue;
                }
                let org = org_domain(&host);
                if registrable(&host).is_some() && !listed_candidates.iter().any(|(d, _)| *d == org)
                {
                    listed_candidates.push((org, link.location.clone()));
                }
            }
        }
        Plan {
            sender,
            listed_candidates,
        }
    }

    fn is_empty(&self) -> bool {
        self.sender.is_none() && self.listed_candidates.is_empty()
    }
}

/// The `p=` of a DMARC record among TXT answers.
fn dmarc_policy(records: &[RData]) -> Option<String> {
    records.iter().find_map(|r| {
        let RData::TXT(txt) = r else { return None };
        let text = txt.to_string();
        if !text
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("v=dmarc1")
        {
            return None;
        }
        text.split(';').find_map(|tag| {
            let (k, v) = tag.split_once('=')?;
            (k.trim().eq_ignore_ascii_case("p")).then(|| v.trim().to_ascii_lowercase())
        })
    })
}

/// A DNSBL answer that means "listed": an address in 127.0.0.0/8, except 127.255.255.x, which
/// blocklists use for errors (query refused, over quota).
fn listed_code(r: &RData) -> Option<String> {
    let RData::A(a) = r else { return None };
    let ip = a.0;
    let o = ip.octets();
    (o[0] == 127 && !(o[1] == 255 && o[2] == 255)).then(|| ip.to_string())
}

#[cfg(test)]
mod tests;
