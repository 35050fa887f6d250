//! Texts generated for the tests that hold a hand-written reading to the regular expression or
//! automaton it stands for: a deterministic xorshift generator, and texts made of the pieces
//! that matter, either at random or filling the slots of a pattern with right and wrong pieces.

/// A xorshift generator of test texts; the same seed gives the same texts.
pub(crate) struct Generated {
    seed: u64,
}

impl Generated {
    pub(crate) fn new(seed: u64) -> Self {
        Generated { seed }
    }

    /// The next number.
    pub(crate) fn next(&mut self) -> u64 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        self.seed
    }

    /// One of `pieces`.
    pub(crate) fn pick<'a>(&mut self, pieces: &[&'a str]) -> &'a str {
        pieces[(self.next() % pieces.len() as u64) as usize]
    }

    /// Up to `rounds` times: up to two random `noise` pieces, then each slot filled with one of
    /// its pieces, in order.
    pub(crate) fn slots(&mut self, noise: &[&str], slots: &[&[&str]], rounds: u64) -> String {
        let mut text = String::new();
        for _ in 0..1 + self.next() % rounds {
            for _ in 0..self.next() % 3 {
                text.push_str(self.pick(noise));
            }
            for slot in slots {
                text.push_str(self.pick(slot));
            }
        }
        text
    }
}
