use lurescreen::checks::attachments::pdf;
fn main() {
    for path in std::env::args().skip(1) {
        let data = std::fs::read(&path).unwrap();
        let mut budget = 256u64 << 20;
        let a = pdf::analyse(&data, &mut budget, false);
        match a.model {
            Ok(m) => println!(
                "{path}: pages {} uris {:?} lure {:?} scripts {} partial {:?} repaired {:?}",
                m.pages,
                m.uris,
                m.lure,
                m.scripts.len(),
                m.partial,
                m.repaired
            ),
            Err(e) => println!("{path}: {e}"),
        }
    }
}
