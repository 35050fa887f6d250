//! `[markup]`: how a suspicious message is marked for its reader (subject tag, banner).

use crate::finding::Verdict;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// How `filter` (and later the milter) marks a suspicious message for its reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Markup {
    /// Lowest verdict that gets the subject tag and banner.
    pub min_verdict: Verdict,
    pub subject_tag: bool,
    pub subject_tag_en: String,
    pub subject_tag_ja: String,
    pub banner: bool,
    /// Banner text; `{verdict}`, `{score}` and `{reasons}` are filled in.
    pub banner_en: String,
    pub banner_ja: String,
}

impl Default for Markup {
    fn default() -> Self {
        Markup {
            min_verdict: Verdict::Warn,
            subject_tag: false,
            subject_tag_en: "[SUSPICIOUS]".into(),
            subject_tag_ja: "[要注意]".into(),
            banner: false,
            banner_en: "WARNING: lurescreen found signs that this message may be a targeted \
                attack or phishing ({verdict}, score {score}). Check the sender, the links and \
                the attachments; if in doubt, do not open anything and ask your IT team.\n\
                {reasons}"
                .into(),
            banner_ja:
                "【注意】このメールには標的型攻撃・フィッシングの疑いがあります（判定：{verdict}、\
                スコア {score}）。差出人・リンク先・添付ファイルをよく確認し、心当たりがなければ\
                開かずにシステム管理者へ連絡してください。\n{reasons}"
                    .into(),
        }
    }
}

impl Markup {
    pub fn subject_tag(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.subject_tag_en,
            Lang::Ja => &self.subject_tag_ja,
        }
    }

    pub fn banner_text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.banner_en,
            Lang::Ja => &self.banner_ja,
        }
    }
}
