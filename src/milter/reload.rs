//! The engine and language in use, and loading them again (SIGHUP): on any error the running
//! ones stay. A scan keeps the engine it started with.

use super::log::{Log, log_error};
use super::metrics::Metrics;
use crate::{Engine, Lang};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Where the configuration and signatures come from, so SIGHUP can reload them.
#[derive(Debug, Clone)]
pub struct Sources {
    pub config: Option<PathBuf>,
    pub signatures: Option<PathBuf>,
    /// `--lang`, which outranks the config file's `lang` on reload too.
    pub lang: Option<Lang>,
}

/// The engine and language loaded from `sources`.
pub struct Loaded {
    engine: RwLock<Arc<Engine>>,
    lang: RwLock<Lang>,
    sources: Sources,
}

impl Loaded {
    pub fn new(engine: Arc<Engine>, sources: Sources) -> Loaded {
        let lang = engine.config().lang_for(sources.lang);
        Loaded {
            engine: RwLock::new(engine),
            lang: RwLock::new(lang),
            sources,
        }
    }

    pub fn engine(&self) -> Arc<Engine> {
        match self.engine.read() {
            Ok(e) => Arc::clone(&e),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or_default()
    }

    /// Loads configuration and signatures again; on any error the running ones stay.
    pub fn reload(&self) -> Result<(), String> {
        let engine = crate::engine::load::load(
            self.sources.config.as_deref(),
            self.sources.signatures.as_deref(),
        )?;
        let lang = engine.config().lang_for(self.sources.lang);
        if let Ok(mut e) = self.engine.write() {
            *e = Arc::new(engine);
        }
        if let Ok(mut l) = self.lang.write() {
            *l = lang;
        }
        Ok(())
    }

    /// What SIGHUP does: reloads, counts the reload in `metrics` and logs how it went.
    pub fn on_hangup(&self, log: &Log, metrics: &Metrics) {
        let reloaded = self.reload();
        metrics.reloaded(reloaded.is_ok());
        match reloaded {
            Ok(()) => {
                log.event("reloaded configuration and signatures");
                if let Some(note) = self.engine().signatures().builtin_rules_note() {
                    log.event(&note);
                }
            }
            Err(e) => log.event(&format!(
                "reload failed, keeping the running set: {}",
                log_error(&e)
            )),
        }
    }
}
