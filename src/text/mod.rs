//! Text helpers shared by every layer: domains and registrable names, addresses made inert
//! (defanged), encoded-words a strict parser leaves in a name, a DFA walked over a text, characters that hide text, file names' extensions, HTML made text, words counted as a reader counts them.

pub mod defang;
pub mod dfa_walk;
pub mod domain;
pub mod encoded_words;
pub mod file_name;
#[cfg(test)]
pub(crate) mod generated;
pub mod hidden;
pub mod html_text;
pub mod words;
