//! Headless Chromium for the tests that look at a rendered page (the batch report, the
//! explanation page, the drill landing page and report). Each such test is skipped, saying why,
//! when no Chromium is installed; under `CI=true` (set by `.ci/run`, which installs Chromium) a
//! missing Chromium fails it instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The first Chromium on PATH that answers `--version`.
pub fn find() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
}

/// The Chromium to render with: `None` (the test is skipped, saying why) when there is none,
/// except under `CI=true`, where a missing tool fails the test rather than passing unseen.
pub fn require() -> Option<&'static str> {
    let found = find();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no chromium on PATH: .ci/run installs it"
        );
        eprintln!("skipped: no chromium on PATH (apt-get install -y chromium)");
    }
    found
}

/// Takes a screenshot of `url` (`window` is `WIDTH,HEIGHT`) into `dir/NAME.png` and checks it is
/// a PNG of a page with content: a blank page compresses to a few kilobytes. The environment
/// variable `LURESCREEN_SCREENSHOT_DIR` keeps a copy.
///
/// It also reads the page as Chromium built it (`--dump-dom`, after any script could run) and
/// checks each of `expect` is in it and that no script from the content ran (a fixture may put
/// `document.title='pwned'` in a subject).
pub fn screenshot(
    chromium: &str,
    url: &str,
    dir: &Path,
    name: &str,
    window: &str,
    expect: &[&str],
) {
    let shot = dir.join(format!("{name}.png"));
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!(
                "--user-data-dir={}",
                dir.join(format!("profile-{name}")).display()
            ),
            &format!("--screenshot={}", shot.display()),
            &format!("--window-size={window}"),
            url,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        png.len() > 30_000,
        "{name}: screenshot only {} bytes",
        png.len()
    );
    let dom = dump_dom(chromium, url, dir, name);
    for want in expect {
        assert!(
            dom.contains(want),
            "{name}: `{want}` is not in the rendered page:\n{dom}"
        );
    }
    assert!(
        !dom.contains("<title>pwned"),
        "{name}: a script from the content ran"
    );
    if let Some(keep) = std::env::var_os("LURESCREEN_SCREENSHOT_DIR") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&shot, keep.join(format!("{name}.png"))).unwrap();
    }
}

/// The page's DOM as Chromium serialises it after loading `url`.
fn dump_dom(chromium: &str, url: &str, dir: &Path, name: &str) -> String {
    let out = dir.join(format!("{name}.dom.html"));
    let file = std::fs::File::create(&out).expect("dom file");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!(
                "--user-data-dir={}",
                dir.join(format!("profile-dom-{name}")).display()
            ),
            "--dump-dom",
            url,
        ])
        .stdout(file)
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium --dump-dom did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = std::fs::read_to_string(&out).expect("dom read");
    assert!(dom.contains("<body"), "{name}: no page was rendered: {dom}");
    dom
}
