use lopdf::{Document, Object, content::Content};
fn main() {
    for path in std::env::args().skip(1) {
        let doc = Document::load(&path).unwrap();
        let pid = doc.page_iter().next().unwrap();
        let c = doc.get_page_content(pid);
        let mut t = 0;
        let mut txt = Vec::new();
        for op in Content::decode_iter(&c) {
            let Ok(op) = op else { break };
            if ["Tj", "TJ", "'", "\""].contains(&op.operator.as_str()) {
                for o in &op.operands {
                    match o {
                        Object::String(s, _) => {
                            t += s.len();
                            txt.extend_from_slice(s)
                        }
                        Object::Array(a) => {
                            for i in a {
                                if let Object::String(s, _) = i {
                                    t += s.len();
                                    txt.extend_from_slice(s)
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let page = doc.get_dictionary(pid).unwrap();
        let mb = page.get(b"MediaBox").ok().cloned();
        let rects: Vec<_> = doc
            .get_page_annotations(pid)
            .unwrap_or_default()
            .iter()
            .map(|a| format!("{:?} {:?}", a.get(b"Subtype").ok(), a.get(b"Rect").ok()))
            .collect();
        println!(
            "{path}: text {t} bytes mb {:?} annots {:?}\n   {:?}",
            mb,
            rects,
            String::from_utf8_lossy(&txt[..txt.len().min(300)])
        );
    }
}
