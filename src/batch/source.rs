//! Where a message came from (file, mbox offset, Outlook folder item) and what was read there.

/// Where a message came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as named on the command line or found in a folder (`-` for stdin).
    pub source: String,
    /// For a message in an mbox: byte offset of its `From ` line (in the decompressed data).
    pub offset: Option<u64>,
    /// For an item in an Outlook data file: its folder path and number in the folder
    /// (`Inbox/Projects/3`).
    pub item: Option<String>,
}

impl Location {
    pub fn file(source: impl Into<String>) -> Self {
        Location {
            source: source.into(),
            offset: None,
            item: None,
        }
    }

    /// `FILE` for a message file, `FILE:OFFSET` for a message in an mbox, `FILE:FOLDER/N` for
    /// an item in an Outlook data file.
    pub fn display(&self) -> String {
        match (self.offset, &self.item) {
            (Some(o), _) => format!("{}:{o}", self.source),
            (None, Some(item)) => format!("{}:{item}", self.source),
            (None, None) => self.source.clone(),
        }
    }
}

/// What was read at a location.
#[derive(Debug)]
pub enum Payload {
    Bytes(Vec<u8>),
    /// Over `limits.max_message_bytes`: the size, the bytes not kept.
    TooLarge(u64),
    /// The file or folder could not be read.
    Unreadable(String),
}
