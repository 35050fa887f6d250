#!/usr/bin/env python3
"""Writes the .eml files of the lurescreen sample corpus (see README.md).

    python3 corpus/make_corpus.py

Every message is spelled out below as the lines a mail program would send. The script only does
what is tedious by hand: RFC 2047 encoded-words, ISO-2022-JP / Shift_JIS bodies, base64 and
quoted-printable, RFC 2231 file names, and CRLF line ends. Output is deterministic (fixed dates,
ids and boundaries), so re-running it leaves an unchanged corpus unchanged.

The sidecar .toml files are written by hand and are not touched here. A message added to the corpus
without this script (say, a real lure with personal data removed) is left alone as well.

Safety: attachments are placeholder bytes (a file-type magic number plus a note) or, for the
drill set, well-formed but inert files (see "drill payloads" below): never working malicious code.
Domains are reserved for documentation (`.example`, example.com/.net/.org, example.jp,
example.co.jp, example.ne.jp: RFC 2606 / RFC 6761 / JPRS) and addresses are TEST-NET (RFC 5737).
The other names are fictional: brands (Tsukimino Bank, tsukimino-bank.co.jp), and the lookalike
domains of the drill set, which need a real public suffix to be lookalikes at all
(exampel.co.jp, tsukiminobank.co.jp, biz-approve.jp, xn--exmple-4nf.co.jp). Freemail senders use
the real providers' domains (gmail.com, yahoo.co.jp, outlook.jp/.com) with invented mailbox names,
because the checks know free mail by those domains.
"""

import base64
import quopri
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent

CODECS = {"UTF-8": "utf-8", "ISO-2022-JP": "iso2022_jp", "Shift_JIS": "shift_jis", "GB2312": "gb2312"}


# --- encodings --------------------------------------------------------------------------------


def _word(text, charset):
    data = text.encode(CODECS[charset])
    return f"=?{charset}?B?{base64.b64encode(data).decode('ascii')}?="


def words(text, charset="UTF-8", width=64):
    """`text` as RFC 2047 B encoded-words of at most `width` characters, folded one per line.

    Words are cut between characters, so each holds whole characters and, for ISO-2022-JP, ends
    back in ASCII as RFC 1468 requires.
    """
    out, chunk = [], ""
    for ch in text:
        if chunk and len(_word(chunk + ch, charset)) > width:
            out.append(_word(chunk, charset))
            chunk = ch
        else:
            chunk += ch
    out.append(_word(chunk, charset))
    return "\n ".join(out)


def rfc2231(name, charset="UTF-8", section=None):
    """A `filename*` parameter (RFC 2231): one value, or continuations of `section` bytes each."""
    data = name.encode(CODECS[charset])
    if section is None:
        return f"filename*={charset}''{urllib.parse.quote(data, safe='')}"
    pieces = [data[i : i + section] for i in range(0, len(data), section)]
    params = []
    for n, piece in enumerate(pieces):
        prefix = f"{charset}''" if n == 0 else ""
        params.append(f"filename*{n}*={prefix}{urllib.parse.quote(piece, safe='')}")
    return ";\n ".join(params)


def iso2022jp(text):
    """ISO-2022-JP body: each line encoded on its own, so every line ends in ASCII (RFC 1468)."""
    return b"\n".join(line.encode("iso2022_jp") for line in text.split("\n"))


def b64(data):
    """Base64 in lines of 76 characters, ending with a line break."""
    return base64.encodebytes(data)


def qp(text, charset="utf-8"):
    """Quoted-printable of `text` in `charset`."""
    return quopri.encodestring(text.encode(charset))


def header(text):
    """Header lines (and MIME boundaries and part headers): ASCII only, or this raises."""
    return text.encode("ascii")


# --- placeholder files ------------------------------------------------------------------------

NOTE = b"\r\nlurescreen corpus sample: harmless placeholder bytes, not a real file.\r\n"

# "MZ" and a few bytes of a DOS header, then zeros: looks like the start of a program, is not one.
FAKE_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + NOTE
# The 20-byte Windows shortcut header (size and CLSID) with no target: points at nothing.
FAKE_LNK = bytes.fromhex("4c0000000114020000000000c000000000000046") + bytes(56) + NOTE
# An ISO 9660 volume descriptor tag on its own.
FAKE_ISO = b"\x01CD001\x01\x00" + bytes(24) + NOTE
def minimal_docx(paragraph):
    """A small valid .docx (WordprocessingML, no macros) with one paragraph; fixed timestamps
    so the output is the same on every run."""
    import io
    import zipfile

    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>",
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>" + paragraph + "</w:t></w:r></w:p></w:body></w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 12, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return out.getvalue()


# A real, macro-free Word document (meeting minutes placeholder).
FAKE_DOCX = minimal_docx("経営会議 議事録（サンプル）")
def minimal_pdf(text):
    """A small valid one-page PDF showing `text` (ASCII), with a correct cross-reference table."""
    content = b"BT /F1 18 Tf 72 720 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


# A real, benign one-page PDF (an invoice placeholder).
FAKE_PDF = minimal_pdf("Invoice 2026-11 (sample)")


# --- output -----------------------------------------------------------------------------------

MESSAGES = {}


def message(path, crlf=False):
    """Registers a function returning a message's pieces (str is ASCII, bytes are kept as is)."""

    def register(build):
        MESSAGES[path] = (build, crlf)
        return build

    return register


def render(pieces, crlf):
    raw = b"".join(header(p) if isinstance(p, str) else p for p in pieces)
    assert b"\r" not in raw, "pieces use LF; CRLF is applied at the end"
    return raw.replace(b"\n", b"\r\n") if crlf else raw


def main():
    for path, (build, crlf) in MESSAGES.items():
        target = HERE / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(build(), crlf))
        print(f"wrote {path} ({'CRLF' if crlf else 'LF'})")


# --- lures ------------------------------------------------------------------------------------


@message("lures/ja-invoice-double-extension.eml", crlf=True)
def ja_invoice_double_extension():
    body = """株式会社エグザンプル
経理ご担当者様

いつも大変お世話になっております。
株式会社みなと物流 経理部の山本でございます。

2026年11月分のご請求書を添付にてお送りいたします。
お支払期日が近づいておりますので、
添付ファイルを開いて内容をご確認のうえ、
11月30日（月）までにお振込みくださいますよう
お願い申し上げます。

なお、ファイルを開く際にセキュリティの警告が表示された場合は、
「実行」を選択していただければ正常に表示されます。

ご不明な点がございましたら、本メールにご返信ください。

--------------------------------------------
株式会社みなと物流 経理部
山本 一郎
--------------------------------------------
"""
    return [
        "Return-Path: <minato.keiri2026@freemail-box.example>\n",
        "Received: from smtp-out3.freemail-box.example (smtp-out3.freemail-box.example [198.51.100.23])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4Rk2Jd0xQvz7Lm\n",
        "\tfor <keiri@example.co.jp>; Tue, 17 Nov 2026 08:47:12 +0900 (JST)\n",
        "Authentication-Results: mx1.example.co.jp; spf=pass smtp.mailfrom=freemail-box.example\n",
        "Date: Tue, 17 Nov 2026 08:47:05 +0900\n",
        f"From: {words('株式会社みなと物流 経理部 山本', 'ISO-2022-JP')}\n",
        " <minato.keiri2026@freemail-box.example>\n",
        "To: keiri@example.co.jp\n",
        f"Subject: {words('【請求書送付】2026年11月分 ご請求のご案内', 'ISO-2022-JP')}\n",
        "Message-ID: <20261117084705.5F2A91C03@smtp-out3.freemail-box.example>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/mixed; boundary="=_mixed_7f3a9c21"\n',
        "\n",
        "This is a multi-part message in MIME format.\n",
        "\n",
        "--=_mixed_7f3a9c21\n",
        "Content-Type: text/plain; charset=ISO-2022-JP\n",
        "Content-Transfer-Encoding: 7bit\n",
        "\n",
        iso2022jp(body),
        "\n--=_mixed_7f3a9c21\n",
        "Content-Type: application/octet-stream\n",
        "Content-Disposition: attachment;\n",
        f" {rfc2231('請求書.pdf.exe')}\n",
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(FAKE_EXE),
        "\n--=_mixed_7f3a9c21--\n",
    ]


@message("lures/ja-minutes-rlo.eml")
def ja_minutes_rlo():
    body = """各位

お疲れさまです。経営企画部の鈴木です。

11月12日（木）に開催された経営会議の議事録を共有いたします。
社外秘の内容を含みますので、取り扱いにはご注意ください。

各部門に関係する決定事項がございますので、
本日中に添付の議事録をご確認いただき、
修正点があれば明日正午までにご連絡ください。

なお、社内サーバーの容量の都合により、
今回は個人アドレスから送信しております。

経営企画部　鈴木
"""
    name = words("議事録\u202excod.scr", "UTF-8", width=75)
    return [
        "Return-Path: <suzuki.keiei.2026@freemail-box.example>\n",
        "Received: from smtp-out1.freemail-box.example (smtp-out1.freemail-box.example [198.51.100.21])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4RkT0c5mWpz3Hb\n",
        "\tfor <sato.hanako@example.co.jp>; Fri, 13 Nov 2026 16:52:08 +0900 (JST)\n",
        "Date: Fri, 13 Nov 2026 16:52:01 +0900\n",
        f"From: {words('経営企画部 鈴木')} <suzuki.keiei.2026@freemail-box.example>\n",
        "To: undisclosed-recipients:;\n",
        f"Subject: {words('【社外秘】11月度 経営会議 議事録（要確認）')}\n",
        "Message-ID: <CAF3x9Lq0wZ7b2n@smtp-out1.freemail-box.example>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/mixed; boundary="000000000000a1b2c3d4e5f60718"\n',
        "\n",
        "--000000000000a1b2c3d4e5f60718\n",
        'Content-Type: text/plain; charset="UTF-8"\n',
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(body.encode("utf-8")),
        "--000000000000a1b2c3d4e5f60718\n",
        "Content-Type: application/octet-stream;\n",
        f' name="{name}"\n',
        "Content-Disposition: attachment;\n",
        f' filename="{name}"\n',
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(FAKE_EXE),
        "--000000000000a1b2c3d4e5f60718--\n",
    ]


@message("lures/en-bank-display-name-spoof.eml", crlf=True)
def en_bank_display_name_spoof():
    text = """Dear Customer,

We detected an unusual sign-in to your Sakura Bank online banking account
from a new device:

  Date:     18 November 2026, 10:58 (JST)
  Location: Kuala Lumpur, Malaysia
  Device:   Windows PC (Chrome)

If this was not you, your account will be temporarily restricted within
24 hours unless you verify your identity. Please sign in and confirm your
details:

https://www.sakura-bank.example/login

Sakura Bank Customer Security Team
This is an automated message. Please do not reply.
"""
    html = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Sakura Bank</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222222;">
<p><img src="https://sakura-bank.example.account-review.example/img/logo.png" alt="Sakura Bank" width="160"></p>
<p>Dear Customer,</p>
<p>We detected an unusual sign-in to your Sakura Bank online banking account from a new device:</p>
<table style="margin-left:16px;">
<tr><td>Date:</td><td>18 November 2026, 10:58 (JST)</td></tr>
<tr><td>Location:</td><td>Kuala Lumpur, Malaysia</td></tr>
<tr><td>Device:</td><td>Windows PC (Chrome)</td></tr>
</table>
<p>If this was not you, your account will be temporarily restricted within <b>24 hours</b> unless you verify your identity. Please sign in and confirm your details:</p>
<p><a href="https://sakura-bank.example.account-review.example/signin?session=8842f0c1" style="color:#c2185b;">https://www.sakura-bank.example/login</a></p>
<p>Sakura Bank Customer Security Team<br>
This is an automated message. Please do not reply.</p>
<p style="font-size:11px;color:#888888;">&copy; 2026 Sakura Bank. All rights reserved.</p>
</body>
</html>
"""
    return [
        "Return-Path: <bounce-7731@secure-mailer.example>\n",
        "Received: from out2.secure-mailer.example (out2.secure-mailer.example [203.0.113.77])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTP id 4RlB7x2KfNz9Qd\n",
        "\tfor <sato.hanako@example.co.jp>; Wed, 18 Nov 2026 11:13:44 +0900 (JST)\n",
        "Date: Wed, 18 Nov 2026 02:13:40 +0000\n",
        'From: "support@sakura-bank.example" <notice@secure-mailer.example>\n',
        "Reply-To: <support-desk@secure-mailer.example>\n",
        "To: sato.hanako@example.co.jp\n",
        "Subject: [Action required] Unusual sign-in to your Sakura Bank account\n",
        "Message-ID: <0100018f2c9e7a41-6d2b@secure-mailer.example>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/alternative; boundary="b1_alt_3c0e95d7"\n',
        "\n",
        "--b1_alt_3c0e95d7\n",
        "Content-Type: text/plain; charset=utf-8\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(text),
        "\n--b1_alt_3c0e95d7\n",
        "Content-Type: text/html; charset=utf-8\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(html),
        "\n--b1_alt_3c0e95d7--\n",
    ]


@message("lures/ja-bank-html-phishing.eml")
def ja_bank_html_phishing():
    text = """月見野銀行をご利用いただき、誠にありがとうございます。

当行では、インターネットバンキングを安全にご利用いただくため、
お客さま情報の定期確認を実施しております。

2026年11月30日（月）までに下記URLよりログインし、
お客さま情報の確認を完了してください。
期限までに確認が完了しない場合、
お取引を一時的に制限させていただきます。

https://www.tsukimino-bank.co.jp/login

※本メールは送信専用です。ご返信いただいてもお答えできません。

──────────────────────
株式会社 月見野銀行
https://www.tsukimino-bank.co.jp/
──────────────────────
"""
    html = """<!DOCTYPE html>
<html lang="ja">
<head><meta charset="UTF-8"><title>月見野銀行</title></head>
<body style="font-family:'Hiragino Sans','Meiryo',sans-serif;font-size:14px;">
<div style="max-width:600px;margin:0 auto;border-top:4px solid #1a4f8b;padding:16px;">
<p style="font-size:18px;font-weight:bold;color:#1a4f8b;">月見野銀行</p>
<p>月見野銀行をご利用いただき、誠にありがとうございます。</p>
<p>当行では、インターネットバンキングを安全にご利用いただくため、お客さま情報の定期確認を実施しております。</p>
<p><b style="color:#d32f2f;">2026年11月30日（月）まで</b>に下記URLよりログインし、お客さま情報の確認を完了してください。期限までに確認が完了しない場合、お取引を一時的に制限させていただきます。</p>
<p style="text-align:center;margin:24px 0;"><a href="http://203.0.113.45/tsukimino/login.php?id=kY29s1">https://www.tsukimino-bank.co.jp/login</a></p>
<p style="font-size:12px;color:#666666;">※本メールは送信専用です。ご返信いただいてもお答えできません。</p>
<hr>
<p style="font-size:12px;">株式会社 月見野銀行<br>
<a href="https://www.tsukimino-bank.co.jp/">www.tsukimino-bank.co.jp</a> ｜
<a href="https://www.tsukimino-bank.co.jp/privacy/">プライバシーポリシー</a></p>
</div>
</body>
</html>
"""
    return [
        "Return-Path: <info@tsukimino-bank-kanri.example>\n",
        "Received: from mail.tsukimino-bank-kanri.example (unknown [203.0.113.45])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTP id 4RlQ2v8ZsLz1Kx\n",
        "\tfor <sato.hanako@example.co.jp>; Thu, 19 Nov 2026 06:31:57 +0900 (JST)\n",
        "Date: Thu, 19 Nov 2026 06:31:50 +0900\n",
        f"From: {words('月見野銀行')} <info@tsukimino-bank-kanri.example>\n",
        "To: sato.hanako@example.co.jp\n",
        f"Subject: {words('【重要】月見野銀行 お客さま情報の確認のお願い')}\n",
        "Message-ID: <20261119063150.31C7E2A0@mail.tsukimino-bank-kanri.example>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/alternative; boundary="----=_NextPart_000_0012_01DB3A5C.7E4F1A20"\n',
        "X-Mailer: Microsoft Outlook 16.0\n",
        "\n",
        "This is a multi-part message in MIME format.\n",
        "\n",
        "------=_NextPart_000_0012_01DB3A5C.7E4F1A20\n",
        'Content-Type: text/plain; charset="utf-8"\n',
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(text.encode("utf-8")),
        "\n------=_NextPart_000_0012_01DB3A5C.7E4F1A20\n",
        'Content-Type: text/html; charset="utf-8"\n',
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(html),
        "\n------=_NextPart_000_0012_01DB3A5C.7E4F1A20--\n",
    ]


@message("lures/ja-interview-shortcut.eml")
def ja_interview_shortcut():
    body = """株式会社エグザンプル
広報ご担当者様

突然のご連絡失礼いたします。
週刊ビジネス未来 編集部の高橋と申します。

現在弊誌では「中堅企業のDX最前線」と題した特集を企画しており、
貴社の取り組みについてぜひお話を伺いたく、ご連絡いたしました。

企画書と質問事項を添付の資料にまとめましたので、
ご確認のうえ、取材の可否をご返信いただけますと幸いです。
締切の都合上、11月20日（金）までにご回答いただけますと助かります。

何卒よろしくお願い申し上げます。

週刊ビジネス未来 編集部
高橋 美咲
"""
    name = words("資料.lnk", "ISO-2022-JP", width=75)
    return [
        "Return-Path: <takahashi.henshubu@freemail-box.example>\n",
        "Received: from smtp-out2.freemail-box.example (smtp-out2.freemail-box.example [198.51.100.22])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4Rkx9b1PtRz6Vn\n",
        "\tfor <koho@example.co.jp>; Mon, 16 Nov 2026 13:05:40 +0900 (JST)\n",
        "Date: Mon, 16 Nov 2026 13:05:33 +0900\n",
        f"From: {words('週刊ビジネス未来 編集部 高橋', 'ISO-2022-JP')}\n",
        " <takahashi.henshubu@freemail-box.example>\n",
        "To: koho@example.co.jp\n",
        f"Subject: {words('取材のお願い（企画書・質問事項送付）', 'ISO-2022-JP')}\n",
        "Message-ID: <8d2f41c0a7e3b915@smtp-out2.freemail-box.example>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/mixed; boundary="--_Boundary_0a7e3b915"\n',
        "\n",
        "----_Boundary_0a7e3b915\n",
        "Content-Type: text/plain; charset=ISO-2022-JP\n",
        "Content-Transfer-Encoding: 7bit\n",
        "\n",
        iso2022jp(body),
        "\n----_Boundary_0a7e3b915\n",
        f'Content-Type: application/octet-stream; name="{name}"\n',
        f'Content-Disposition: attachment; filename="{name}"\n',
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(FAKE_LNK),
        "\n----_Boundary_0a7e3b915--\n",
    ]


@message("lures/en-overdue-invoice-iso.eml")
def en_overdue_invoice_iso():
    body = """Hello,

Following up on our previous email, our records show that invoice
HL-2026-1187 (JPY 1,284,500) is now 14 days overdue.

Please find the invoice and our updated bank details attached. Note that
our bank account has changed; kindly use the new details for this and
all future payments.

To avoid a late fee, please process the payment by Friday, 20 November.

Best regards,

Daniel Morgan
Accounts Receivable
Harbor Line Logistics
"""
    return [
        "Return-Path: <accounts@harborline-logistics.example>\n",
        "Received: from mail.harborline-logistics.example (mail.harborline-logistics.example [198.51.100.140])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4RkgF3qYcWz2Tm\n",
        "\tfor <procurement@example.co.jp>; Tue, 17 Nov 2026 18:20:33 +0900 (JST)\n",
        "Date: Tue, 17 Nov 2026 09:20:27 +0000\n",
        'From: "Harbor Line Logistics - Accounts" <accounts@harborline-logistics.example>\n',
        "Reply-To: accounts.harborline@freemail-box.example\n",
        "To: procurement@example.co.jp\n",
        "Subject: RE: Overdue payment - Invoice HL-2026-1187\n",
        "In-Reply-To: <HL1187.reminder.1@harborline-logistics.example>\n",
        "References: <HL1187.reminder.1@harborline-logistics.example>\n",
        "Message-ID: <HL1187.reminder.2@harborline-logistics.example>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/mixed; boundary="_004_HL1187_"\n',
        "\n",
        "--_004_HL1187_\n",
        'Content-Type: text/plain; charset="us-ascii"\n',
        "Content-Transfer-Encoding: 7bit\n",
        "\n",
        body,
        "\n--_004_HL1187_\n",
        'Content-Type: application/x-iso9660-image; name="Invoice_2026.pdf.iso"\n',
        'Content-Disposition: attachment; filename="Invoice_2026.pdf.iso"\n',
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(FAKE_ISO),
        "\n--_004_HL1187_--\n",
    ]


@message("lures/ja-delivery-display-name.eml")
def ja_delivery_display_name():
    body = """お客様各位

ヤマブキ運輸をご利用いただきありがとうございます。
お荷物をお届けにあがりましたが、ご不在のため持ち帰りました。

伝票番号：4821-3390-7715
お届け予定日：2026年11月19日（木）

保管期限は3日間です。期限を過ぎますと差出人へ返送されます。
下記より再配達のお申し込みをお願いいたします。

https://yamabuki-express.example.redelivery-check.example/r/?no=482133907715

※本メールは送信専用アドレスから配信しています。
ヤマブキ運輸株式会社
"""
    return [
        "Return-Path: <noreply@delivery-notice.example>\n",
        "Received: from relay.delivery-notice.example (relay.delivery-notice.example [203.0.113.120])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTP id 4RlW5h0DnKz8Pc\n",
        "\tfor <ito.kenji@example.co.jp>; Thu, 19 Nov 2026 19:44:02 +0900 (JST)\n",
        "Date: Thu, 19 Nov 2026 19:43:58 +0900\n",
        f"From: {words('ヤマブキ運輸（support@yamabuki-express.example）')}\n",
        " <noreply@delivery-notice.example>\n",
        "To: ito.kenji@example.co.jp\n",
        f"Subject: {words('お荷物お届けのお知らせ（ご不在のため持ち戻り）')}\n",
        "Message-ID: <r.482133907715.1794998638@relay.delivery-notice.example>\n",
        "MIME-Version: 1.0\n",
        "Content-Type: text/plain; charset=UTF-8\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(body),
    ]


# --- ham --------------------------------------------------------------------------------------


@message("ham/ja-meeting-iso2022jp.eml", crlf=True)
def ja_meeting_iso2022jp():
    body = """株式会社エグザンプル
情報システム部　佐藤様

いつもお世話になっております。
株式会社サンプル商事の田中です。

先日はお忙しいところお時間をいただき、ありがとうございました。
新システム導入の件につきまして、次回のお打ち合わせ日程を
ご相談させていただきたく、ご連絡いたしました。

下記の候補日のうち、ご都合のよい日時をお知らせいただけますでしょうか。

　・11月24日（火）14:00〜15:00
　・11月25日（水）10:00〜11:00
　・11月26日（木）16:00〜17:00

場所は前回と同じく、貴社会議室でのお打ち合わせを想定しております。
オンラインをご希望の場合もお気軽にお申し付けください。

お手数をおかけしますが、何卒よろしくお願いいたします。

━━━━━━━━━━━━━━━━━━━━━━
株式会社サンプル商事
営業本部 ソリューション営業部
田中 太郎（Tanaka Taro）
〒100-0005 東京都千代田区丸の内1-2-3 サンプルビル8F
TEL: 03-1234-5678 / FAX: 03-1234-5679
Mail: tanaka.taro@example.jp
URL: https://www.example.jp/
━━━━━━━━━━━━━━━━━━━━━━
"""
    return [
        "Return-Path: <tanaka.taro@example.jp>\n",
        "Received: from mail.example.jp (mail.example.jp [198.51.100.10])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4Rkw1S7hGbz4Jr\n",
        "\tfor <sato.hanako@example.co.jp>; Mon, 16 Nov 2026 10:24:36 +0900 (JST)\n",
        "Date: Mon, 16 Nov 2026 10:24:31 +0900\n",
        f"From: {words('田中 太郎', 'ISO-2022-JP')} <tanaka.taro@example.jp>\n",
        f"To: {words('佐藤 花子', 'ISO-2022-JP')} <sato.hanako@example.co.jp>\n",
        f"Cc: {words('鈴木 一郎', 'ISO-2022-JP')} <suzuki.ichiro@example.jp>\n",
        f"Subject: {words('次回お打ち合わせ日程のご相談（新システム導入の件）', 'ISO-2022-JP')}\n",
        "Message-ID: <5f1c2a9e3b7d4e0a9c612d8f7a0b4e13@example.jp>\n",
        "MIME-Version: 1.0\n",
        "Content-Type: text/plain; charset=ISO-2022-JP\n",
        "Content-Transfer-Encoding: 7bit\n",
        "X-Mailer: Microsoft Outlook 16.0\n",
        "\n",
        iso2022jp(body),
    ]


@message("ham/ja-year-end-notice-shiftjis.eml")
def ja_year_end_notice_shiftjis():
    body = """社員各位

総務部よりお知らせいたします。

年末年始の休業期間は下記のとおりです。

　休業期間：2026年12月29日（火）〜2027年1月4日（月）
　仕事始め：2027年1月5日（火）

休業期間中の緊急連絡先と当番表は、社内ポータルの
「総務部からのお知らせ」に掲載しています。
https://intra.example.co.jp/soumu/news/2026-12

取引先への年末年始のご案内は、各部署にてお願いいたします。
案内文のひな形は共有フォルダ（総務部＞ひな形）に置いてあります。
ソフトウェアの更新作業のため、12月28日（月）18時以降は
社内システムが停止します。ご注意ください。

以上、よろしくお願いいたします。

―――――――――――――
総務部　山口（内線 2105）
―――――――――――――
"""
    return [
        "Return-Path: <soumu@example.co.jp>\n",
        "Received: from pc-soumu-07.corp.example.co.jp (pc-soumu-07.corp.example.co.jp [192.0.2.57])\n",
        "\tby mail.example.co.jp (Postfix) with ESMTPSA id 4RlZ8m3VtQz5Bw\n",
        "\tfor <all-staff@example.co.jp>; Fri, 20 Nov 2026 17:05:14 +0900 (JST)\n",
        "Date: Fri, 20 Nov 2026 17:05:12 +0900\n",
        f"From: {words('総務部', 'Shift_JIS')} <soumu@example.co.jp>\n",
        f"To: {words('全社員', 'Shift_JIS')} <all-staff@example.co.jp>\n",
        f"Subject: {words('年末年始休業期間のお知らせ', 'Shift_JIS')}\n",
        "Message-ID: <20261120170512.0007@pc-soumu-07.corp.example.co.jp>\n",
        "MIME-Version: 1.0\n",
        "Content-Type: text/plain; charset=Shift_JIS\n",
        "Content-Transfer-Encoding: 8bit\n",
        "X-Mailer: Becky! ver. 2.81.04\n",
        "\n",
        body.encode("shift_jis"),
    ]


@message("ham/en-newsletter-html.eml")
def en_newsletter_html():
    text = """This week at Example
View in your browser: https://click.news.example.com/t/v/7Hq2xZ

AUTUMN MEETUP IN OSAKA
Join us on 5 December for talks, demos and coffee.
Read more: https://click.news.example.com/t/c/7Hq2xZ/1

NEW API DOCUMENTATION
The reference has been rewritten with examples in five languages.
Read more: https://click.news.example.com/t/c/7Hq2xZ/2

CUSTOMER STORY: A FACTORY IN NAGOYA
How one team cut paperwork in half.
Read more: https://click.news.example.com/t/c/7Hq2xZ/3

All events: www.example.com/events

You are receiving this because you subscribed at www.example.com.
Unsubscribe: https://click.news.example.com/unsub/u/7Hq2xZ
Example Inc., 1 Example Street, Springfield
"""
    html = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>This week at Example</title></head>
<body style="margin:0;background:#f4f4f4;font-family:Helvetica,Arial,sans-serif;">
<table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" style="background:#ffffff;">
<tr><td style="padding:8px 24px;font-size:11px;color:#888888;text-align:right;">
<a href="https://click.news.example.com/t/v/7Hq2xZ" style="color:#888888;">View in your browser</a>
</td></tr>
<tr><td><a href="https://click.news.example.com/t/c/7Hq2xZ/0"><img src="https://img.news.example.com/2026/11/header.png" alt="" width="600" height="180" style="display:block;border:0;"></a></td></tr>
<tr><td style="padding:24px;">
<h2 style="margin:0 0 8px;">Autumn meetup in Osaka</h2>
<p>Join us on 5 December for talks, demos and coffee.</p>
<p><a href="https://click.news.example.com/t/c/7Hq2xZ/1" style="color:#0b62d6;">Read more &rarr;</a></p>
<h2 style="margin:24px 0 8px;">New API documentation</h2>
<p>The reference has been rewritten with examples in five languages.</p>
<p><a href="https://click.news.example.com/t/c/7Hq2xZ/2" style="color:#0b62d6;">Read more &rarr;</a></p>
<h2 style="margin:24px 0 8px;">Customer story: a factory in Nagoya</h2>
<p>How one team cut paperwork in half.</p>
<p><a href="https://click.news.example.com/t/c/7Hq2xZ/3" style="color:#0b62d6;">Read more &rarr;</a></p>
<p>All events are listed at <a href="https://www.example.com/events?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=2026-11-w3">www.example.com</a>.</p>
</td></tr>
<tr><td style="padding:16px 24px;font-size:11px;color:#888888;">
You are receiving this because you subscribed at example.com.<br>
<a href="https://click.news.example.com/unsub/u/7Hq2xZ" style="color:#888888;">Unsubscribe</a> |
<a href="https://click.news.example.com/prefs/u/7Hq2xZ" style="color:#888888;">Update preferences</a><br>
Example Inc., 1 Example Street, Springfield
</td></tr>
</table>
<img src="https://click.news.example.com/o/7Hq2xZ.gif" width="1" height="1" alt="">
</body>
</html>
"""
    return [
        "Return-Path: <bounce-7Hq2xZ@news.example.com>\n",
        "Received: from mta12.news.example.com (mta12.news.example.com [198.51.100.212])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4RlK6c9NbSz3Wf\n",
        "\tfor <sato.hanako@example.co.jp>; Wed, 18 Nov 2026 22:00:09 +0900 (JST)\n",
        "Date: Wed, 18 Nov 2026 13:00:04 +0000\n",
        'From: "Example Weekly" <newsletter@news.example.com>\n',
        "To: sato.hanako@example.co.jp\n",
        "Subject: This week at Example: autumn meetup, new API docs, and more\n",
        "Message-ID: <nl.2026-11-w3.7Hq2xZ@news.example.com>\n",
        "List-Id: Example Weekly <weekly.news.example.com>\n",
        "List-Unsubscribe: <https://click.news.example.com/unsub/u/7Hq2xZ>,\n",
        " <mailto:unsubscribe@news.example.com?subject=unsub-7Hq2xZ>\n",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n",
        "Precedence: bulk\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/alternative; boundary="==nl_b7e41c02"\n',
        "\n",
        "--==nl_b7e41c02\n",
        "Content-Type: text/plain; charset=utf-8\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(text),
        "\n--==nl_b7e41c02\n",
        "Content-Type: text/html; charset=utf-8\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(html),
        "\n--==nl_b7e41c02--\n",
    ]


@message("ham/ja-invoice-pdf.eml")
def ja_invoice_pdf():
    body = """株式会社エグザンプル
経理部 御中

いつも大変お世話になっております。
有限会社みどり印刷 経理部の小林でございます。

2026年11月分（11月1日〜11月30日納品分）のご請求書を
PDFにてお送りいたします。

　ご請求金額：88,000円（税込）
　お支払期日：2026年12月31日（木）

お振込先は従来と変更ございません。
ご査収のほど、よろしくお願い申し上げます。

――――――――――――――――――
有限会社みどり印刷 経理部
小林 由美
TEL: 045-000-1234
https://www.midori-insatsu.example/
――――――――――――――――――
"""
    name = "請求書_2026年11月.pdf"
    return [
        "Return-Path: <kobayashi@midori-insatsu.example>\n",
        "Received: from mail.midori-insatsu.example (mail.midori-insatsu.example [198.51.100.66])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4Rn0Yk2CwHz7Gt\n",
        "\tfor <keiri@example.co.jp>; Tue, 1 Dec 2026 10:02:19 +0900 (JST)\n",
        "Date: Tue, 1 Dec 2026 10:02:15 +0900\n",
        f"From: {words('みどり印刷 経理部 小林')} <kobayashi@midori-insatsu.example>\n",
        "To: keiri@example.co.jp\n",
        f"Subject: {words('【みどり印刷】2026年11月分 請求書送付のご案内')}\n",
        "Message-ID: <3e0b8a51-6c2d-4f17-a9d4-5b7e1c0f2a86@midori-insatsu.example>\n",
        "MIME-Version: 1.0\n",
        "User-Agent: Mozilla Thunderbird\n",
        'Content-Type: multipart/mixed; boundary="------------Mq3vXb7Lk2Rz9TnW0cYpDs4e"\n',
        "\n",
        "This is a multi-part message in MIME format.\n",
        "--------------Mq3vXb7Lk2Rz9TnW0cYpDs4e\n",
        "Content-Type: text/plain; charset=UTF-8\n",
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(body.encode("utf-8")),
        "--------------Mq3vXb7Lk2Rz9TnW0cYpDs4e\n",
        "Content-Type: application/pdf;\n",
        f' name="{words(name, width=75)}"\n',
        "Content-Disposition: attachment;\n",
        f" {rfc2231(name, section=24)}\n",
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(FAKE_PDF),
        "\n--------------Mq3vXb7Lk2Rz9TnW0cYpDs4e--\n",
    ]


@message("ham/en-reply-quoted.eml", crlf=True)
def en_reply_quoted():
    body = """Hi Hanako,

Thanks for the quick update. Shipping on 8 December works for us; please
go ahead and book the container as planned.

One small change: could you send the packing list to our warehouse team
(warehouse@example.com) as well as to me? The updated delivery address is
on our supplier page: https://www.example.com/suppliers/delivery

Best regards,
Emily

--
Emily Carter
Purchasing Manager, Example Inc.
+1 555 0100 123

On Thu, 19 Nov 2026 at 11:02, Sato Hanako <sato.hanako@example.co.jp> wrote:
> Dear Emily,
>
> Thank you for your order (PO-2026-4471). We can ship the goods on
> 8 December from Yokohama; the vessel is due in Long Beach on 23 December.
>
> Please let me know if this schedule works for you.
>
> Best regards,
> Hanako Sato
> Example Co., Ltd. (https://www.example.co.jp/)
"""
    return [
        "Return-Path: <emily.carter@example.com>\n",
        "Received: from mail.example.com (mail.example.com [198.51.100.5])\n",
        "\tby mx1.example.co.jp (Postfix) with ESMTPS id 4RlS0t6JmVz2Nd\n",
        "\tfor <sato.hanako@example.co.jp>; Fri, 20 Nov 2026 00:41:27 +0900 (JST)\n",
        "Date: Thu, 19 Nov 2026 07:41:22 -0800\n",
        'From: "emily.carter@example.com" <emily.carter@example.com>\n',
        'To: "Sato Hanako" <sato.hanako@example.co.jp>\n',
        'Cc: "Ito Kenji" <ito.kenji@example.co.jp>\n',
        "Subject: Re: Shipping schedule for the December order\n",
        "In-Reply-To: <20261119110215.4471@example.co.jp>\n",
        "References: <20261119110215.4471@example.co.jp>\n",
        "Message-ID: <CA+9e7Lw3r1Qm0x@mail.example.com>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: text/plain; charset="UTF-8"\n',
        "Content-Transfer-Encoding: 7bit\n",
        "\n",
        body,
    ]


@message("ham/en-calendar-invite.eml")
def en_calendar_invite():
    meet = "https://meet.example.com/qpr-tuvw-xyz"
    respond = "https://calendar.example.com/event?action=RESPOND&eid=Q1plan2026&rst="
    text = f"""Kenji Ito has invited you to a meeting.

Q1 supply planning
Thursday 3 December 2026, 09:00 - 10:00 (Japan Standard Time - Tokyo)

Join with Example Meet: {meet}

Agenda: volumes for January to March, the new Yokohama warehouse, and
shipping windows around the New Year holidays.

Organizer: Kenji Ito <ito.kenji@example.co.jp>
Guests: Hanako Sato, Emily Carter

Reply for sato.hanako@example.co.jp: Yes {respond}1 / No {respond}2 / Maybe {respond}3
"""
    html = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"></head>
<body style="font-family:Arial,sans-serif;font-size:14px;">
<p><b>Kenji Ito</b> has invited you to a meeting.</p>
<h3 style="margin:8px 0;">Q1 supply planning</h3>
<p>Thursday 3 December 2026 &middot; 09:00 &ndash; 10:00 (Japan Standard Time - Tokyo)</p>
<p><a href="{meet}" style="background:#1a73e8;color:#ffffff;padding:8px 16px;text-decoration:none;">Join with Example Meet</a><br>
<a href="{meet}">meet.example.com/qpr-tuvw-xyz</a></p>
<p>Agenda: volumes for January to March, the new Yokohama warehouse, and shipping windows around the New Year holidays.</p>
<p>Organizer: Kenji Ito &lt;ito.kenji@example.co.jp&gt;<br>Guests: Hanako Sato, Emily Carter</p>
<p>Going? <a href="{respond.replace('&', '&amp;')}1">Yes</a> - <a href="{respond.replace('&', '&amp;')}2">No</a> - <a href="{respond.replace('&', '&amp;')}3">Maybe</a> - <a href="https://calendar.example.com/event?action=VIEW&amp;eid=Q1plan2026">More options</a></p>
<p style="font-size:11px;color:#777777;">Invitation from Example Calendar</p>
</body></html>
"""
    ics = f"""BEGIN:VCALENDAR
PRODID:-//Example//Example Calendar 1.0//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REQUEST
BEGIN:VTIMEZONE
TZID:Asia/Tokyo
BEGIN:STANDARD
TZOFFSETFROM:+0900
TZOFFSETTO:+0900
TZNAME:JST
DTSTART:19700101T000000
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
DTSTART;TZID=Asia/Tokyo:20261203T090000
DTEND;TZID=Asia/Tokyo:20261203T100000
DTSTAMP:20261120T021500Z
ORGANIZER;CN=Kenji Ito:mailto:ito.kenji@example.co.jp
UID:Q1plan2026@calendar.example.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=
 TRUE;CN=Hanako Sato:mailto:sato.hanako@example.co.jp
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=
 TRUE;CN=Emily Carter:mailto:emily.carter@example.com
DESCRIPTION:Join with Example Meet: {meet}\\n\\nAgenda: volumes for Januar
 y to March\\, the new Yokohama warehouse\\, and shipping windows around the
  New Year holidays.
LOCATION:{meet}
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Q1 supply planning
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
"""
    ics = ics.replace("\n", "\r\n")  # iCalendar content lines always end in CRLF
    return [
        "Return-Path: <ito.kenji@example.co.jp>\n",
        "Received: from calendar.example.com (calendar.example.com [198.51.100.80])\n",
        "\tby mail.example.co.jp (Postfix) with ESMTPS id 4RlZ0q7XyBz1Rk\n",
        "\tfor <sato.hanako@example.co.jp>; Fri, 20 Nov 2026 11:15:03 +0900 (JST)\n",
        "Date: Fri, 20 Nov 2026 02:15:00 +0000\n",
        "From: Kenji Ito <ito.kenji@example.co.jp>\n",
        "To: sato.hanako@example.co.jp, emily.carter@example.com\n",
        "Subject: Invitation: Q1 supply planning @ Thu 3 Dec 2026 09:00 - 10:00 (JST)\n",
        "Message-ID: <calendar-Q1plan2026-0@calendar.example.com>\n",
        "Reply-To: ito.kenji@example.co.jp\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/mixed; boundary="000000000000c4d0a105f3e2b7a1"\n',
        "\n",
        "--000000000000c4d0a105f3e2b7a1\n",
        'Content-Type: multipart/alternative; boundary="000000000000c4d0a005f3e2b7a0"\n',
        "\n",
        "--000000000000c4d0a005f3e2b7a0\n",
        'Content-Type: text/plain; charset="UTF-8"\n',
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(text),
        "\n--000000000000c4d0a005f3e2b7a0\n",
        'Content-Type: text/html; charset="UTF-8"\n',
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(html),
        "\n--000000000000c4d0a005f3e2b7a0\n",
        'Content-Type: text/calendar; charset="UTF-8"; method=REQUEST\n',
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(ics.encode("utf-8")),
        "\n--000000000000c4d0a005f3e2b7a0--\n",
        "\n--000000000000c4d0a105f3e2b7a1\n",
        'Content-Type: application/ics; name="invite.ics"\n',
        'Content-Disposition: attachment; filename="invite.ics"\n',
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(ics.encode("utf-8")),
        "\n--000000000000c4d0a105f3e2b7a1--\n",
    ]


@message("ham/ja-minutes-docx.eml")
def ja_minutes_docx():
    body = """関係者各位

お疲れさまです。経営企画部の伊藤です。

11月12日（木）の経営会議の議事録（案）を添付にてお送りします。
修正点がありましたら、11月18日（水）までにご返信ください。

確定版は社内ポータルに掲載します。
https://intra.example.co.jp/keiei/minutes/

経営企画部　伊藤 健二（内線 3312）
"""
    name = "議事録_経営会議_20261112.docx"
    return [
        "Return-Path: <ito.kenji@example.co.jp>\n",
        "Received: from pc-keiei-03.corp.example.co.jp (pc-keiei-03.corp.example.co.jp [192.0.2.83])\n",
        "\tby mail.example.co.jp (Postfix) with ESMTPSA id 4RkS2w9TfMz6Lq\n",
        "\tfor <keiei-kaigi@example.co.jp>; Fri, 13 Nov 2026 15:20:48 +0900 (JST)\n",
        "Date: Fri, 13 Nov 2026 15:20:45 +0900\n",
        f"From: {words('伊藤 健二', 'ISO-2022-JP')} <ito.kenji@example.co.jp>\n",
        f"To: {words('経営会議 出席者', 'ISO-2022-JP')} <keiei-kaigi@example.co.jp>\n",
        f"Subject: {words('11/12 経営会議 議事録（案）の送付', 'ISO-2022-JP')}\n",
        "Message-ID: <20261113152045.4F0E.ITO@example.co.jp>\n",
        "MIME-Version: 1.0\n",
        'Content-Type: multipart/mixed; boundary="Boundary_(ID_Qm7tYk3Pz0fWb2Lx)"\n',
        "X-Mailer: Becky! ver. 2.81.04\n",
        "\n",
        "--Boundary_(ID_Qm7tYk3Pz0fWb2Lx)\n",
        'Content-Type: text/plain; charset="utf-8"\n',
        "Content-Transfer-Encoding: quoted-printable\n",
        "\n",
        qp(body),
        "\n--Boundary_(ID_Qm7tYk3Pz0fWb2Lx)\n",
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\n",
        f' name="{words(name, "ISO-2022-JP", width=75)}"\n',
        "Content-Disposition: attachment;\n",
        f" {rfc2231(name, 'ISO-2022-JP', section=16)}\n",
        "Content-Transfer-Encoding: base64\n",
        "\n",
        b64(FAKE_DOCX),
        "\n--Boundary_(ID_Qm7tYk3Pz0fWb2Lx)--\n",
    ]


# --- drill payloads ---------------------------------------------------------------------------
#
# Built byte by byte, the way tests/rule_fixtures/ builds them, so each is a well-formed file of
# its type that the checks open like the real thing, while none of them does harm: the programs
# are PE headers without code (no entry point, no image size: Windows refuses to load them), the
# shortcuts and macros start cmd.exe or PowerShell only to print a note saying what a real lure
# would have done, the PDF JavaScript shows an alert, and the encrypted archives hold the same
# inert stubs. No address in them serves anything (TEST-NET, reserved names).

import io
import struct
import zipfile
import zlib


def tiny_pe():
    """A PE32 header (DOS header, `PE\\0\\0`, optional header, one empty .text section) and no
    code at all: Windows would refuse it; scanners see a program."""
    d = bytearray(0x400)

    def put(at, data):
        d[at : at + len(data)] = data

    put(0, b"MZ")
    put(0x3C, struct.pack("<I", 0x80))
    put(0x80, b"PE\0\0")
    put(0x84, struct.pack("<H", 0x14C))
    put(0x86, struct.pack("<H", 1))
    put(0x94, struct.pack("<H", 224))
    put(0x96, struct.pack("<H", 0x0102))
    put(0x98, struct.pack("<H", 0x10B))
    put(0x98 + 32, struct.pack("<I", 0x1000))
    put(0x98 + 36, struct.pack("<I", 0x200))
    put(0x98 + 68, struct.pack("<H", 2))
    put(0x98 + 92, struct.pack("<I", 16))
    put(0x98 + 224, b".text")
    put(0x98 + 224 + 16, struct.pack("<I", 0x200))
    put(0x98 + 224 + 20, struct.pack("<I", 0x200))
    put(0x300, NOTE)
    return bytes(d)


FIXED_TIME = (2026, 11, 16, 9, 30, 0)


def zip_of(files, method=zipfile.ZIP_DEFLATED):
    """A zip of (name, bytes) with fixed timestamps; names in UTF-8 (flag bit 11)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = method
            z.writestr(info, data)
    return out.getvalue()


def _crc_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else (c >> 1)
        table.append(c)
    return table


_CRC = _crc_table()


def zipcrypto_zip(name, data, password):
    """A zip with one stored entry encrypted with traditional PKWARE encryption (ZipCrypto), as
    Windows and most Japanese 'PPAP' tools write it. Fixed header bytes keep it deterministic."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(crc, b):
        return _CRC[(crc ^ b) & 0xFF] ^ (crc >> 8)

    def update(b):
        keys[0] = crc_byte(keys[0], b)
        keys[1] = (keys[1] + (keys[0] & 0xFF)) & 0xFFFFFFFF
        keys[1] = (keys[1] * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    def stream_byte():
        t = (keys[2] | 2) & 0xFFFF
        return ((t * (t ^ 1)) >> 8) & 0xFF

    for b in password.encode("ascii"):
        update(b)
    crc = zlib.crc32(data) & 0xFFFFFFFF
    header = bytes([0x4C, 0x75, 0x72, 0x65, 0x73, 0x63, 0x72, 0x65, 0x65, 0x6E, 0x00, crc >> 24])
    enc = bytearray()
    for b in header + data:
        enc.append(b ^ stream_byte())
        update(b)
    fname = name.encode("utf-8")
    dos_time, dos_date = (9 << 11) | (30 << 5), ((2026 - 1980) << 9) | (11 << 5) | 16
    flags = 0x1 | 0x800
    common = struct.pack("<HHHHHIIIH", 20, flags, 0, dos_time, dos_date, crc, len(enc), len(data), len(fname))
    local = b"PK\x03\x04" + common + struct.pack("<H", 0) + fname + bytes(enc)
    central = b"PK\x01\x02" + struct.pack("<H", 20) + common + struct.pack("<HHHHII", 0, 0, 0, 0, 0x20, 0) + fname
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


def iso_of(name, data):
    """A minimal ISO 9660 image (primary descriptor, terminator, root directory) holding one
    file, as tests/rule_fixtures/archives.rs builds it."""
    s = 2048

    def record(extent, size, flags, ident):
        length = 33 + len(ident) + (len(ident) + 1) % 2
        r = bytearray(length)
        r[0] = length
        r[2:6] = struct.pack("<I", extent)
        r[10:14] = struct.pack("<I", size)
        r[25] = flags
        r[32] = len(ident)
        r[33 : 33 + len(ident)] = ident
        return bytes(r)

    img = bytearray(19 * s)
    img[16 * s] = 1
    img[16 * s + 1 : 16 * s + 6] = b"CD001"
    img[16 * s + 6] = 1
    img[16 * s + 40 : 16 * s + 72] = b"INVOICE".ljust(32)
    img[16 * s + 128 : 16 * s + 130] = struct.pack("<H", s)
    img[16 * s + 156 : 16 * s + 190] = record(18, s, 2, b"\0")
    img[17 * s] = 255
    img[17 * s + 1 : 17 * s + 6] = b"CD001"
    img[17 * s + 6] = 1
    root = record(18, s, 2, b"\0") + record(18, s, 2, b"\1") + record(19, len(data), 0, f"{name};1".encode("ascii"))
    img[18 * s : 18 * s + len(root)] = root
    img += data
    img += bytes(-len(img) % s)
    return bytes(img)


def lnk(target, args, icon=None):
    """A Unicode Windows shortcut (MS-SHLLINK): LinkInfo with a local target path, then the
    command-line arguments and the icon location."""
    flags = 0x80 | 0x2
    body = bytearray()
    header = 0x1C
    tail = bytearray()
    tail += struct.pack("<IIII", 0x11, 3, 0, 0x10) + b"\0"
    base = header + len(tail)
    tail += target.encode("ascii") + b"\0"
    suffix = header + len(tail)
    tail += b"\0"
    size = header + len(tail)
    body += struct.pack("<7I", size, header, 1, header, base, 0, suffix) + tail
    for bit, value in ((0x20, args), (0x40, icon)):
        if value is not None:
            flags |= bit
            body += struct.pack("<H", len(value)) + value.encode("utf-16-le")
    body += bytes(4)
    out = bytes.fromhex("4c0000000114020000000000c000000000000046") + struct.pack("<I", flags)
    out += bytes(0x4C - 24)
    return out + bytes(body)


# --- OLE2 (compound file) writer, for vbaProject.bin and the Equation object --------------------

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(streams):
    """A version 3 compound file (MS-CFB, 512-byte sectors) holding `streams`, a list of
    ("/Storage/Stream", bytes). Streams under 4096 bytes go into the mini stream, as Office
    writes them. Sibling trees are balanced binary trees in CFB name order, all black."""
    # Directory entries: [name, type, children(list of idx), data]
    entries = [["Root Entry", 5, [], b""]]
    storages = {"": 0}
    for path, data in streams:
        parts = path.strip("/").split("/")
        parent = ""
        for part in parts[:-1]:
            key = parent + "/" + part
            if key not in storages:
                storages[key] = len(entries)
                entries.append([part, 1, [], b""])
                entries[storages[parent]][2].append(storages[key])
            parent = key
        entries.append([parts[-1], 2, [], data])
        entries[storages[parent]][2].append(len(entries) - 1)

    def order(i):
        name = entries[i][0]
        return (len(name.encode("utf-16-le")), name.upper())

    left = [NOSTREAM] * len(entries)
    right = [NOSTREAM] * len(entries)
    child = [NOSTREAM] * len(entries)

    def tree(items):
        if not items:
            return NOSTREAM
        mid = len(items) // 2
        node = items[mid]
        left[node] = tree(items[:mid])
        right[node] = tree(items[mid + 1 :])
        return node

    for i, e in enumerate(entries):
        if e[1] in (1, 5):
            child[i] = tree(sorted(e[2], key=order))

    # Mini stream: small streams packed in 64-byte mini sectors.
    mini = bytearray()
    minifat = []
    start = [ENDOFCHAIN] * len(entries)
    big = []
    for i, e in enumerate(entries):
        if e[1] != 2:
            continue
        data = e[3]
        if len(data) < 4096:
            if not data:
                continue
            first = len(mini) // 64
            n = (len(data) + 63) // 64
            minifat += [first + k + 1 for k in range(n - 1)] + [ENDOFCHAIN]
            mini += data + bytes(-len(data) % 64)
            start[i] = first
        else:
            big.append(i)

    def sectors(n):
        return (n + 511) // 512

    dir_sectors = sectors(128 * len(entries))
    minifat_sectors = sectors(4 * len(minifat))
    mini_sectors = sectors(len(mini))
    big_sectors = sum(sectors(len(entries[i][3])) for i in big)
    other = dir_sectors + minifat_sectors + mini_sectors + big_sectors
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + other:
        fat_sectors += 1
    assert fat_sectors <= 109
    fat = [FATSECT] * fat_sectors
    sector_data = []

    def chain(data):
        first = len(fat)
        n = sectors(len(data))
        fat.extend([first + k + 1 for k in range(n - 1)] + [ENDOFCHAIN])
        sector_data.append(data + bytes(-len(data) % 512))
        return first

    dir_start_placeholder = len(fat)
    dir_first = dir_start_placeholder
    fat.extend([dir_first + k + 1 for k in range(dir_sectors - 1)] + [ENDOFCHAIN])
    minifat_first = chain(b"".join(struct.pack("<I", v) for v in minifat)) if minifat else ENDOFCHAIN
    mini_first = chain(bytes(mini)) if mini else ENDOFCHAIN
    for i in big:
        start[i] = chain(entries[i][3])
    start[0] = mini_first
    root_size = len(mini)

    directory = bytearray()
    for i, (name, kind, _, data) in enumerate(entries):
        raw_name = name.encode("utf-16-le") + b"\0\0"
        e = bytearray(128)
        e[0 : len(raw_name)] = raw_name
        struct.pack_into("<HBB", e, 64, len(raw_name), kind, 1)
        struct.pack_into("<III", e, 68, left[i], right[i], child[i])
        size = root_size if kind == 5 else len(data)
        struct.pack_into("<II", e, 116, start[i] if kind != 1 else 0, size)
        directory += e
    directory += bytes(-len(directory) % 512)
    # Empty directory slots must read as unused entries.
    for k in range(len(entries), len(directory) // 128):
        struct.pack_into("<III", directory, k * 128 + 68, NOSTREAM, NOSTREAM, NOSTREAM)

    fat += [FREESECT] * (-len(fat) % 128)
    header = bytearray(512)
    header[0:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, fat_sectors, dir_first, 0, 4096,
                     minifat_first, len(minifat) and minifat_sectors, ENDOFCHAIN, 0)
    difat = list(range(fat_sectors)) + [FREESECT] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    body = b"".join(struct.pack("<I", v) for v in fat)
    return bytes(header) + body + bytes(directory) + b"".join(sector_data)


def ovba_literal(data):
    """MS-OVBA compression with literal tokens only: valid, just not smaller."""
    out = bytearray([1])
    for i in range(0, len(data), 3640):
        chunk = data[i : i + 3640]
        body = bytearray()
        for j in range(0, len(chunk), 8):
            body.append(0)
            body += chunk[j : j + 8]
        out += struct.pack("<H", 0xB000 | (len(body) - 1))
        out += body
    return bytes(out)


def vba_dir(modules):
    def rec(rid, data):
        return struct.pack("<HI", rid, len(data)) + data

    d = rec(1, struct.pack("<I", 1)) + rec(3, struct.pack("<H", 932)) + rec(4, b"VBAProject")
    d += rec(0x0F, struct.pack("<H", len(modules)))
    for name in modules:
        n = name.encode("ascii")
        d += rec(0x19, n) + rec(0x1A, n) + rec(0x31, struct.pack("<I", 0)) + rec(0x21, b"") + rec(0x2B, b"")
    return d + rec(0x10, b"")


def vba_project(module, source):
    return cfb(
        [
            ("/VBA/dir", ovba_literal(vba_dir([module]))),
            ("/VBA/_VBA_PROJECT", bytes([0xCC, 0x61, 0xFF, 0xFF, 0, 0, 0])),
            (f"/VBA/{module}", ovba_literal(source.encode("cp932"))),
            ("/PROJECT", f'ID="{{3F2A1C7E-0B4D-4E59-9A61-2C8D7E5F1B30}}"\r\nDocument={module}/&H00000000\r\nName="VBAProject"\r\n'.encode("ascii")),
        ]
    )


def ooxml(parts):
    return zip_of([(n, t.encode("utf-8") if isinstance(t, str) else t) for n, t in parts])


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFDOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def word_document(paragraphs):
    runs = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{runs}</w:body></w:document>'


def docm(paragraphs, module, source):
    """A macro-enabled Word document (.docm) whose vbaProject.bin holds `source`."""
    return ooxml(
        [
            ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
             "</Types>"),
            ("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{REL_NS}">'
             f'<Relationship Id="rId1" Type="{OFFDOC}/officeDocument" Target="word/document.xml"/></Relationships>'),
            ("word/_rels/document.xml.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{REL_NS}">'
             '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>'),
            ("word/document.xml", word_document(paragraphs)),
            ("word/vbaProject.bin", vba_project(module, source)),
        ]
    )


def xlsx(rows):
    """A macro-free Excel workbook with one sheet of inline strings and numbers."""
    def cell(ref, v):
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{r + 1}">' + "".join(cell(f"{chr(65 + c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return ooxml(
        [
            ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
             "</Types>"),
            ("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{REL_NS}">'
             f'<Relationship Id="rId1" Type="{OFFDOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
            ("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{REL_NS}">'
             f'<Relationship Id="rId1" Type="{OFFDOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
            ("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{main}" xmlns:r="{OFFDOC}">'
             '<sheets><sheet name="見積" sheetId="1" r:id="rId1"/></sheets></workbook>'),
            ("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData></worksheet>'),
        ]
    )


def compobj(prog_id):
    return bytes(28) + struct.pack("<II", 0, 0) + struct.pack("<I", len(prog_id) + 1) + prog_id.encode("ascii") + b"\0"


def ole1(class_name, native):
    return struct.pack("<III", 0x0501, 2, len(class_name) + 1) + class_name.encode("ascii") + b"\0" + bytes(8) + struct.pack("<I", len(native)) + native


def rtf_equation(text_rtf):
    """An RTF document with an embedded Equation.3 object (an OLE2 file with an `Equation
    Native` stream of a harmless header only) loaded automatically (`\\objupdate`)."""
    native = cfb([("/\x01CompObj", compobj("Equation.3")), ("/Equation Native", bytes([0x1C, 0, 0, 0, 2, 0, 0xC3, 0, 0xB0]) + bytes(20))])
    hexdata = ole1("Equation.3", native).hex()
    lines = "\n".join(hexdata[i : i + 128] for i in range(0, len(hexdata), 128))
    return (
        "{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fnil\\fcharset128 MS Mincho;}}\n"
        + text_rtf
        + "\n{\\object\\objemb\\objupdate{\\*\\objclass Equation.3}\\objw380\\objh260{\\*\\objdata\n"
        + lines
        + "\n}}\\par\n}\n"
    ).encode("ascii")


def rtf_text(text):
    """Japanese text as RTF \\uN escapes, one paragraph per line."""
    out = []
    for line in text.split("\n"):
        out.append("".join(c if ord(c) < 128 and c not in "\\{}" else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in line) + "\\par")
    return "\n".join(out)


def pdf(objects_extra_catalog, text, extra_objects=()):
    """A one-page PDF like minimal_pdf, with `objects_extra_catalog` added to the catalog and
    `extra_objects` appended as objects 6, 7, ..."""
    content = b"BT /F1 14 Tf 72 720 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + objects_extra_catalog.encode("ascii") + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + [o.encode("ascii") for o in extra_objects]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def smuggling_page(title, saved_as, payload):
    """An HTML page that rebuilds `payload` from base64 in the browser and saves it as `saved_as`
    (HTML smuggling). The payload is an inert stub; the page itself is what the drill shows."""
    blob = base64.b64encode(payload).decode("ascii")
    return f"""<!DOCTYPE html>
<html lang="ja">
<head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family:sans-serif;text-align:center;padding-top:80px;">
<p>ファイルを準備しています。ダウンロードが始まらない場合はページを再読み込みしてください。</p>
<script>
var d = "{blob}";
var b = atob(d);
var u = new Uint8Array(b.length);
for (var i = 0; i < b.length; i++) {{ u[i] = b.charCodeAt(i); }}
var f = new Blob([u], {{type: "application/octet-stream"}});
var a = document.createElement("a");
a.href = URL.createObjectURL(f);
a.download = "{saved_as}";
document.body.appendChild(a);
a.click();
</script>
</body>
</html>
""".encode("utf-8")


# --- a compact composer for the drill set -----------------------------------------------------


def _text_part(text, charset):
    if charset == "ISO-2022-JP":
        return ["Content-Type: text/plain; charset=ISO-2022-JP\n", "Content-Transfer-Encoding: 7bit\n", "\n", iso2022jp(text), "\n"]
    if charset == "Shift_JIS":
        return ["Content-Type: text/plain; charset=Shift_JIS\n", "Content-Transfer-Encoding: 8bit\n", "\n", text.encode("shift_jis"), "\n"]
    if charset == "GB2312":
        return ["Content-Type: text/plain; charset=GB2312\n", "Content-Transfer-Encoding: base64\n", "\n", b64(text.encode("gb2312"))]
    if charset == "us-ascii":
        return ['Content-Type: text/plain; charset="us-ascii"\n', "Content-Transfer-Encoding: 7bit\n", "\n", text, "\n"]
    return ['Content-Type: text/plain; charset="UTF-8"\n', "Content-Transfer-Encoding: base64\n", "\n", b64(text.encode("utf-8"))]


def _file_part(name, ctype, data):
    if name.isascii():
        params = [f'Content-Type: {ctype}; name="{name}"\n', f'Content-Disposition: attachment; filename="{name}"\n']
    else:
        params = [f"Content-Type: {ctype};\n", f' name="{words(name, width=75)}"\n',
                  "Content-Disposition: attachment;\n", f" {rfc2231(name, section=30)}\n"]
    return params + ["Content-Transfer-Encoding: base64\n", "\n", b64(data)]


def compose(headers, text, charset="UTF-8", html=None, files=(), tag="drill"):
    """Header lines (each ending in a newline) then a body: plain text in `charset`, optionally
    an HTML alternative (quoted-printable UTF-8), optionally attachments (name, type, bytes).
    Boundaries are made from `tag`, so output is stable."""
    out = list(headers) + ["MIME-Version: 1.0\n"]
    alt = f"----=_Alt_{tag}"
    mixed = f"----=_Mix_{tag}"

    def body():
        if html is None:
            return _text_part(text, charset)
        return (
            [f'Content-Type: multipart/alternative; boundary="{alt}"\n', "\n", f"--{alt}\n"]
            + _text_part(text, charset)
            + [f"\n--{alt}\n", 'Content-Type: text/html; charset="UTF-8"\n', "Content-Transfer-Encoding: quoted-printable\n", "\n", qp(html), f"\n--{alt}--\n"]
        )

    if not files:
        return out + body()
    out += [f'Content-Type: multipart/mixed; boundary="{mixed}"\n', "\n", "This is a multi-part message in MIME format.\n", "\n", f"--{mixed}\n"]
    out += body()
    for name, ctype, data in files:
        out += [f"\n--{mixed}\n"] + _file_part(name, ctype, data)
    return out + [f"\n--{mixed}--\n"]


def received(helo, ip, mx_id, rcpt, when, by="mx1.example.co.jp"):
    return [
        f"Received: from {helo} ({helo} [{ip}])\n",
        f"\tby {by} (Postfix) with ESMTPS id {mx_id}\n",
        f"\tfor <{rcpt}>; {when}\n",
    ]


# --- drill lures: one IPA point (or two) each ---------------------------------------------------

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCM_MIME = "application/vnd.ms-word.document.macroEnabled.12"


@message("lures/ja-survey-ministry-freemail.eml")
def ja_survey_ministry_freemail():
    body = """株式会社エグザンプル
情報セキュリティご担当者様

突然のご連絡失礼いたします。
経済産業省 商務情報政策局 サイバーセキュリティ課の中村と申します。

現在当課では、中堅・中小企業における標的型攻撃への対策状況について
実態調査を実施しております。
つきましては、貴社のご担当者様に調査票へのご回答をお願いしたく、
ご連絡いたしました。

本調査は全国約3,000社を対象としており、回答期限は
2026年11月27日（金）となっております。
至急、下記フォームよりご回答いただけますと幸いです。

　調査票：https://survey-meti.example/form/2026-cyber

なお、システム移行中のため、本件は担当者のアドレスからお送りしております。
ご不明点は本メールにご返信ください。

経済産業省 商務情報政策局
サイバーセキュリティ課　中村 浩二
"""
    return compose(
        ["Return-Path: <meti.cyber.nakamura@gmail.com>\n"]
        + received("mail-sor-f41.google.com", "209.85.220.41", "4Rp1Xc0vJkz5Tq", "security@example.co.jp", "Mon, 23 Nov 2026 10:12:40 +0900 (JST)")
        + [
            "Date: Mon, 23 Nov 2026 10:12:33 +0900\n",
            f"From: {words('経済産業省 サイバーセキュリティ課 中村')}\n <meti.cyber.nakamura@gmail.com>\n",
            "To: security@example.co.jp\n",
            f"Subject: {words('【経済産業省】標的型攻撃対策に関する実態調査へのご協力のお願い')}\n",
            "Message-ID: <CAKp3w9Zr8TnQ1v-xYmE0b7Lq@mail.gmail.com>\n",
        ],
        body,
        tag="meti",
    )


@message("lures/ja-university-yahoo-zip.eml", crlf=True)
def ja_university_yahoo_zip():
    body = """株式会社エグザンプル
研究開発部 ご担当者様

はじめてご連絡いたします。
東都工業大学 大学院工学研究科の森田と申します。

貴社の製品に関する技術資料を拝見し、
共同研究の可能性についてご相談させていただきたく、ご連絡いたしました。

研究概要と共同研究の提案書を添付いたしましたので、
ご確認いただけますと幸いです。
（大学のメールサーバーが容量制限のため、個人アドレスから失礼いたします）

何卒よろしくお願い申し上げます。

東都工業大学 大学院工学研究科
准教授　森田 亮
"""
    payload = zip_of([("共同研究提案書.exe", tiny_pe())])
    return compose(
        ["Return-Path: <r_morita_lab@yahoo.co.jp>\n"]
        + received("nh502-vm0.bullet.mail.ssk.yahoo.co.jp", "182.22.90.27", "4Rp4Lm2HbWz1Pd", "rd@example.co.jp", "Mon, 23 Nov 2026 14:40:12 +0900 (JST)")
        + [
            "Date: Mon, 23 Nov 2026 14:40:05 +0900\n",
            f"From: {words('東都工業大学 森田 亮', 'ISO-2022-JP')} <r_morita_lab@yahoo.co.jp>\n",
            "To: rd@example.co.jp\n",
            f"Subject: {words('共同研究のご相談（東都工業大学 森田研究室）', 'ISO-2022-JP')}\n",
            "Message-ID: <20261123144005.72134.qmail@web101.mail.ssk.yahoo.co.jp>\n",
            "X-Mailer: YahooMailWebService/0.8.203\n",
        ],
        body,
        charset="ISO-2022-JP",
        files=[("共同研究提案書.zip", "application/x-zip-compressed", payload)],
        tag="toto",
    )


@message("lures/en-bank-freemail.eml", crlf=True)
def en_bank_freemail():
    body = """Dear Valued Customer,

As part of our annual security review, Sakura Bank requires all corporate
customers to re-confirm the authorised signatories on their accounts.

Our records show that your company has not yet completed this review.
Please reply to this email with the full name, position and direct phone
number of each person authorised to approve transfers, together with a
copy of their photo ID, by Friday, 27 November.

Accounts that are not confirmed by this date will be temporarily
suspended for outgoing transfers.

Kind regards,

Michael Tanaka
Corporate Banking Support
Sakura Bank
"""
    return compose(
        ["Return-Path: <sakurabank.corporate.support@gmail.com>\n"]
        + received("mail-ej1-f54.google.com", "209.85.218.54", "4Rp7Gd1ZsQz3Mw", "finance@example.co.jp", "Tue, 24 Nov 2026 09:03:51 +0900 (JST)")
        + [
            "Date: Tue, 24 Nov 2026 00:03:46 +0000\n",
            'From: "Sakura Bank Corporate Banking" <sakurabank.corporate.support@gmail.com>\n',
            "To: finance@example.co.jp\n",
            "Subject: Annual review of authorised signatories - action required\n",
            "Message-ID: <CAG7v2Rk0pLx4eWq9nB1tZy@mail.gmail.com>\n",
        ],
        body,
        charset="us-ascii",
        tag="sakura",
    )


@message("lures/en-brand-display-name.eml")
def en_brand_display_name():
    text = """Tsukimino Bank

Your online banking password will expire in 2 days.

To keep access to your accounts, please set a new password now:
https://tb-secure-notice.example/renew?c=5512

If you do not renew your password before 26 November 2026, online
banking will be locked and you will need to visit a branch.

Tsukimino Bank Online Service
"""
    html = """<html><body style="font-family:Arial,sans-serif;font-size:14px;">
<p style="font-size:18px;color:#1a4f8b;"><b>Tsukimino Bank</b></p>
<p>Your online banking password will expire in <b>2 days</b>.</p>
<p>To keep access to your accounts, please set a new password now:</p>
<p><a href="https://tb-secure-notice.example/renew?c=5512">Renew my password</a></p>
<p>If you do not renew your password before 26 November 2026, online banking will be locked and you will need to visit a branch.</p>
<p style="color:#777777;font-size:12px;">Tsukimino Bank Online Service</p>
</body></html>
"""
    return compose(
        ["Return-Path: <alerts@tb-secure-notice.example>\n"]
        + received("smtp.tb-secure-notice.example", "203.0.113.61", "4Rp9Kq4LfDz6Ya", "sato.hanako@example.co.jp", "Tue, 24 Nov 2026 21:17:09 +0900 (JST)")
        + [
            "Date: Tue, 24 Nov 2026 12:17:02 +0000\n",
            'From: "Tsukimino Bank" <alerts@tb-secure-notice.example>\n',
            "To: sato.hanako@example.co.jp\n",
            "Subject: Your online banking password expires in 2 days\n",
            "Message-ID: <b7e1f04c.5512@tb-secure-notice.example>\n",
        ],
        text,
        html=html,
        tag="tbrand",
    )


@message("lures/ja-quote-request-reply-to.eml")
def ja_quote_request_reply_to():
    body = """株式会社エグザンプル
営業部 ご担当者様

お世話になっております。
株式会社あおば精機 購買部の吉田でございます。

来期の設備更新に伴い、下記製品のお見積りをお願いしたく、ご連絡いたしました。

　品名：制御ユニット EX-400 シリーズ
　数量：120台
　納期：2027年2月末

お手数ですが、お見積書（PDF）と貴社の口座情報を
11月27日（金）までに本メールへのご返信にてお送りください。
社内システム更新中のため、返信先は担当者アドレスとなっております。

何卒よろしくお願い申し上げます。

株式会社あおば精機 購買部
吉田 誠
"""
    return compose(
        ["Return-Path: <yoshida@aoba-seiki.example>\n"]
        + received("mail.aoba-seiki.example", "198.51.100.97", "4RpBw7TxNcz2Kh", "sales@example.co.jp", "Wed, 25 Nov 2026 09:41:30 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 09:41:24 +0900\n",
            f"From: {words('あおば精機 吉田', 'ISO-2022-JP')} <yoshida@aoba-seiki.example>\n",
            "Reply-To: aoba.kobai.yoshida@outlook.jp\n",
            "To: sales@example.co.jp\n",
            f"Subject: {words('【見積依頼】制御ユニット EX-400 120台', 'ISO-2022-JP')}\n",
            "Message-ID: <20261125094124.1A2B3C@aoba-seiki.example>\n",
        ],
        body,
        charset="ISO-2022-JP",
        tag="aoba",
    )


@message("lures/en-wire-transfer-reply-to.eml", crlf=True)
def en_wire_transfer_reply_to():
    body = """Hello Hanako,

I am in meetings all day and cannot take calls. We need to settle an
urgent payment to a new supplier for the Singapore project today,
before the bank cut-off at 15:00.

Please arrange a wire transfer of JPY 4,850,000 and send me the
confirmation as soon as it is done. I will send you the invoice
afterwards. Keep this confidential for now; the deal has not been
announced.

Reply to this email only.

Thanks,
Richard Hayes
Managing Director, Harbor Line Logistics
"""
    return compose(
        ["Return-Path: <r.hayes@harborline-logistics.example>\n"]
        + received("mail.harborline-logistics.example", "198.51.100.140", "4RpC3zWm8Qz7Ja", "sato.hanako@example.co.jp", "Wed, 25 Nov 2026 10:05:47 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 01:05:41 +0000\n",
            'From: "Richard Hayes" <r.hayes@harborline-logistics.example>\n',
            "Reply-To: richard.hayes.md@outlook.com\n",
            "To: sato.hanako@example.co.jp\n",
            "Subject: Urgent wire transfer today - confidential\n",
            "Message-ID: <HLL.20261125010541.r.hayes@harborline-logistics.example>\n",
        ],
        body,
        charset="us-ascii",
        tag="wire",
    )


@message("lures/en-support-renewal-callback.eml")
def en_support_renewal_callback():
    body = """Dear Customer,

A billing invoice has been generated for your annual support plan.

Invoice ID: GS-INV-4418207
Service: Geek Squad Total Tech Support (annual)
Amount: USD 389.80
Date: November 30, 2026
Status: Pending - the amount will be charged to your card within 24 hours

If you do not recognize this charge or wish to cancel, call our billing
desk immediately: +1 (555) 014-2277

Thank you,
Geek Squad Billing Department

--
This e-mail and any attachments are from a sender at Greenfield Valley
School District. They are intended for the named recipients only.
"""
    return compose(
        ["Return-Path: <j.moreno@greenfield-valley-schools.example>\n"]
        + received("mail.greenfield-valley-schools.example", "203.0.113.88", "4RpK9sQm2Hz1Tb", "suzuki.ken@example.co.jp", "Mon, 30 Nov 2026 09:12:03 +0900 (JST)")
        + [
            "Date: Mon, 30 Nov 2026 00:11:58 +0000\n",
            'From: "Jordan Moreno" <j.moreno@greenfield-valley-schools.example>\n',
            "To: undisclosed-recipients:;\n",
            "Subject: Currently, an order worth $389.80 is being processed\n",
            "Message-ID: <GVSD.20261130001158.jmoreno@greenfield-valley-schools.example>\n",
        ],
        body,
        charset="us-ascii",
        tag="callback",
    )


@message("lures/ja-security-alert-lookalike.eml", crlf=True)
def ja_security_alert_lookalike():
    text = """株式会社エグザンプル 社員各位

情報システム部です。

本日未明、社外から複数の社員アカウントへの不正ログインの試みを検知しました。
被害拡大を防ぐため、全社員を対象にパスワードの再設定を実施します。

本日17時までに、下記の社内ポータルからパスワードを再設定してください。
期限までに再設定されない場合、アカウントは一時的に停止されます。

https://portal.exampel.co.jp/account/reset

ご不明な点は情報システム部（内線 2100）までお問い合わせください。

情報システム部 セキュリティ対策室
"""
    html = """<html><body style="font-family:'Meiryo',sans-serif;font-size:14px;">
<p>株式会社エグザンプル 社員各位</p>
<p>情報システム部です。</p>
<p>本日未明、社外から複数の社員アカウントへの不正ログインの試みを検知しました。<br>
被害拡大を防ぐため、全社員を対象にパスワードの再設定を実施します。</p>
<p><b style="color:#c62828;">本日17時まで</b>に、下記の社内ポータルからパスワードを再設定してください。<br>
期限までに再設定されない場合、アカウントは一時的に停止されます。</p>
<p><a href="https://portal.exampel.co.jp/account/reset">社内ポータル パスワード再設定</a></p>
<p>ご不明な点は情報システム部（内線 2100）までお問い合わせください。</p>
<p>情報システム部 セキュリティ対策室</p>
</body></html>
"""
    return compose(
        ["Return-Path: <security@exampel.co.jp>\n"]
        + received("mail.exampel.co.jp", "203.0.113.88", "4RpD8fLq2Vz9Nb", "all-staff@example.co.jp", "Wed, 25 Nov 2026 08:02:19 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 08:02:13 +0900\n",
            f"From: {words('情報システム部')} <security@exampel.co.jp>\n",
            "To: all-staff@example.co.jp\n",
            f"Subject: {words('【セキュリティ警告】不正ログイン検知に伴うパスワード再設定のお願い（本日17時まで）')}\n",
            "Message-ID: <20261125080213.9F1E@mail.exampel.co.jp>\n",
        ],
        text,
        html=html,
        tag="secalert",
    )


@message("lures/ja-minutes-tld-swap.eml")
def ja_minutes_tld_swap():
    body = """関係者各位

お疲れさまです。経営企画部の伊藤です。

11月20日（金）の経営会議の議事録をファイル共有サービスに格納しました。
修正点がありましたら、明日中にご連絡ください。

　議事録（共有リンク）：
　https://files.example.ne.jp/share/keiei-20261120

ダウンロードにはいつもの社内IDとパスワードでのログインが必要です。

経営企画部　伊藤 健二（内線 3312）
"""
    return compose(
        ["Return-Path: <ito.kenji@example.ne.jp>\n"]
        + received("smtp.example.ne.jp", "203.0.113.140", "4RpF1kNs5Xz4Cd", "keiei-kaigi@example.co.jp", "Mon, 23 Nov 2026 18:22:40 +0900 (JST)")
        + [
            "Date: Mon, 23 Nov 2026 18:22:35 +0900\n",
            f"From: {words('伊藤 健二', 'ISO-2022-JP')} <ito.kenji@example.ne.jp>\n",
            f"To: {words('経営会議 出席者', 'ISO-2022-JP')} <keiei-kaigi@example.co.jp>\n",
            f"Subject: {words('11/20 経営会議 議事録の共有', 'ISO-2022-JP')}\n",
            "Message-ID: <20261123182235.5C1A.ITO@example.ne.jp>\n",
            "X-Mailer: Becky! ver. 2.81.04\n",
        ],
        body,
        charset="ISO-2022-JP",
        tag="tldswap",
    )


@message("lures/ja-bank-hyphen-lookalike.eml")
def ja_bank_hyphen_lookalike():
    text = """株式会社エグザンプル 御中

平素より月見野銀行をご利用いただき、誠にありがとうございます。

法人向けインターネットバンキングのセキュリティ強化に伴い、
2026年12月1日より電子証明書の方式を変更いたします。

つきましては、11月30日（月）までに下記より電子証明書の更新手続きを
お願いいたします。手続きが完了しない場合、振込等のお取引がご利用いただけなくなります。

https://www.tsukiminobank.co.jp/biz/cert-update

株式会社 月見野銀行 法人営業部
"""
    html = """<html><body style="font-family:'Meiryo',sans-serif;font-size:14px;">
<p>株式会社エグザンプル 御中</p>
<p>平素より月見野銀行をご利用いただき、誠にありがとうございます。</p>
<p>法人向けインターネットバンキングのセキュリティ強化に伴い、2026年12月1日より電子証明書の方式を変更いたします。</p>
<p>つきましては、<b>11月30日（月）まで</b>に下記より電子証明書の更新手続きをお願いいたします。手続きが完了しない場合、振込等のお取引がご利用いただけなくなります。</p>
<p><a href="https://www.tsukiminobank.co.jp/biz/cert-update">https://www.tsukiminobank.co.jp/biz/cert-update</a></p>
<p>株式会社 月見野銀行 法人営業部</p>
</body></html>
"""
    return compose(
        ["Return-Path: <biz-info@tsukiminobank.co.jp>\n"]
        + received("mail.tsukiminobank.co.jp", "203.0.113.150", "4RpG6tQw0Bz8Fe", "keiri@example.co.jp", "Tue, 24 Nov 2026 11:30:02 +0900 (JST)")
        + [
            "Date: Tue, 24 Nov 2026 11:29:57 +0900\n",
            f"From: {words('月見野銀行 法人営業部')} <biz-info@tsukiminobank.co.jp>\n",
            "To: keiri@example.co.jp\n",
            f"Subject: {words('【月見野銀行】電子証明書更新のお願い（11月30日まで）')}\n",
            "Message-ID: <20261124112957.0042@mail.tsukiminobank.co.jp>\n",
        ],
        text,
        html=html,
        tag="hyphen",
    )


@message("lures/en-subdomain-trick.eml", crlf=True)
def en_subdomain_trick():
    text = """Tsukimino Bank - Business Online

A payment of JPY 2,480,000 to SUNRISE TRADING PTE LTD is waiting for
your approval.

Review the payment:
https://tsukimino-bank.co.jp.biz-approve.jp/biz/approve?ref=PAY-77120

Payments not approved within 24 hours are cancelled automatically.
"""
    html = """<html><body style="font-family:Arial,sans-serif;font-size:14px;">
<p><b>Tsukimino Bank - Business Online</b></p>
<p>A payment of JPY 2,480,000 to SUNRISE TRADING PTE LTD is waiting for your approval.</p>
<p><a href="https://tsukimino-bank.co.jp.biz-approve.jp/biz/approve?ref=PAY-77120">Review the payment</a></p>
<p style="color:#777777;font-size:12px;">Payments not approved within 24 hours are cancelled automatically.</p>
</body></html>
"""
    return compose(
        ["Return-Path: <notify@biz-online-alert.example>\n"]
        + received("out.biz-online-alert.example", "203.0.113.19", "4RpH2pXr7Mz5Gf", "finance@example.co.jp", "Tue, 24 Nov 2026 16:48:25 +0900 (JST)")
        + [
            "Date: Tue, 24 Nov 2026 07:48:20 +0000\n",
            'From: "Business Online" <notify@biz-online-alert.example>\n',
            "To: finance@example.co.jp\n",
            "Subject: Payment PAY-77120 is waiting for your approval\n",
            "Message-ID: <PAY-77120.approve@biz-online-alert.example>\n",
        ],
        text,
        html=html,
        tag="subdomain",
    )


@message("lures/en-idn-homograph.eml")
def en_idn_homograph():
    # The sender's domain is example.co.jp with a Cyrillic "а" (U+0430) for the Latin "a".
    fake = "exаmple.co.jp".encode("idna").decode("ascii")
    text = f"""Hi all,

IT here. We are moving everyone to the new single sign-on portal this week.
Please sign in once before Friday so that your mailbox and files are
migrated; accounts that have not signed in will be archived.

https://sso.{fake}/migrate

Thanks,
IT Service Desk
Example Co., Ltd.
"""
    html = f"""<html><body style="font-family:Arial,sans-serif;font-size:14px;">
<p>Hi all,</p>
<p>IT here. We are moving everyone to the new single sign-on portal this week. Please sign in once before Friday so that your mailbox and files are migrated; accounts that have not signed in will be archived.</p>
<p><a href="https://sso.{fake}/migrate">Sign in to the new portal</a></p>
<p>Thanks,<br>IT Service Desk<br>Example Co., Ltd.</p>
</body></html>
"""
    return compose(
        [f"Return-Path: <it-desk@{fake}>\n"]
        + received(f"mail.{fake}", "203.0.113.201", "4RpJ9cVn3Hz2Lg", "all-staff@example.co.jp", "Wed, 25 Nov 2026 13:10:55 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 04:10:50 +0000\n",
            f'From: "IT Service Desk" <it-desk@{fake}>\n',
            "To: all-staff@example.co.jp\n",
            "Subject: Action needed: sign in to the new SSO portal before Friday\n",
            f"Message-ID: <sso-migrate.20261125@mail.{fake}>\n",
        ],
        text,
        html=html,
        tag="idn",
    )


@message("lures/ja-password-expiry-display-url.eml")
def ja_password_expiry_display_url():
    text = """社員各位

情報システム部です。

ご利用中のメールアカウントのパスワード有効期限が
2026年11月26日（木）で切れます。

期限切れ後はメールの送受信ができなくなりますので、
下記の社内ポータルから本日中に更新してください。

https://portal.example.co.jp/password/

情報システム部
"""
    html = """<html><body style="font-family:'Meiryo',sans-serif;font-size:14px;">
<p>社員各位</p>
<p>情報システム部です。</p>
<p>ご利用中のメールアカウントのパスワード有効期限が<b>2026年11月26日（木）</b>で切れます。</p>
<p>期限切れ後はメールの送受信ができなくなりますので、下記の社内ポータルから本日中に更新してください。</p>
<p><a href="https://mail-account-update.example/portal/login.php?u=all">https://portal.example.co.jp/password/</a></p>
<p>情報システム部</p>
</body></html>
"""
    return compose(
        ["Return-Path: <noreply@mail-account-update.example>\n"]
        + received("mail-account-update.example", "203.0.113.33", "4RpK4mBd6Sz3Ph", "ito.kenji@example.co.jp", "Wed, 25 Nov 2026 07:55:31 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 07:55:26 +0900\n",
            f"From: {words('情報システム部')} <noreply@mail-account-update.example>\n",
            "To: ito.kenji@example.co.jp\n",
            f"Subject: {words('【重要】パスワード有効期限のお知らせ')}\n",
            "Message-ID: <pw-expiry.20261125.0755@mail-account-update.example>\n",
        ],
        text,
        html=html,
        tag="pwexp",
    )


@message("lures/ja-invoice-chinese-kanji.eml")
def ja_invoice_chinese_kanji():
    # Written as a machine-translated lure: simplified Chinese forms (请, 确认, 发票, 账户, 银行,
    # 这, 们, 务) among kana, sent in the Chinese character set GB2312.
    body = """株式会社エグザンプル
经理部 御中

いつもお世话になっております。
请求书の件でご连络いたします。

先月分の发票について、支付がまだ确认できておりません。
当社の银行账户が变更になりましたので、
添付の书类をご确认のうえ、本日中にご送金ください。

这件についてご不明な点がありましたら、
私们の担当者までご连络ください。

よろしくお愿いいたします。

みなと物流 财务部
"""
    return compose(
        ["Return-Path: <minato-zaimu@cn-mail.example>\n"]
        + received("smtp.cn-mail.example", "203.0.113.163", "4RpL7rTy1Kz6Wd", "keiri@example.co.jp", "Thu, 26 Nov 2026 02:14:08 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 01:14:02 +0800\n",
            f"From: {words('みなと物流 财务部', 'GB2312')} <minato-zaimu@cn-mail.example>\n",
            "To: keiri@example.co.jp\n",
            f"Subject: {words('请求书の支付について（至急）', 'GB2312')}\n",
            "Message-ID: <202611260114020012@cn-mail.example>\n",
        ],
        body,
        charset="GB2312",
        tag="chinese",
    )


@message("lures/en-purchase-order-double-extension.eml", crlf=True)
def en_purchase_order_double_extension():
    body = """Dear Sir/Madam,

Please find attached our purchase order No. PO-88412 for the items we
discussed last week. Kindly confirm the prices and the delivery date,
and send us your proforma invoice at your earliest convenience.

Best regards,

Wei Lin
Procurement Officer
Sunrise Trading Pte Ltd
"""
    return compose(
        ["Return-Path: <procurement@sunrise-trading.example>\n"]
        + received("mail.sunrise-trading.example", "198.51.100.201", "4RpM2vGh8Dz1Rf", "sales@example.co.jp", "Tue, 24 Nov 2026 12:03:17 +0900 (JST)")
        + [
            "Date: Tue, 24 Nov 2026 11:03:11 +0800\n",
            'From: "Wei Lin" <procurement@sunrise-trading.example>\n',
            "To: sales@example.co.jp\n",
            "Subject: New Purchase Order PO-88412\n",
            "Message-ID: <PO-88412.1700000000@sunrise-trading.example>\n",
        ],
        body,
        charset="us-ascii",
        files=[("PO-88412.docx.scr", "application/octet-stream", tiny_pe())],
        tag="po",
    )


@message("lures/ja-invoice-space-padding.eml", crlf=True)
def ja_invoice_space_padding():
    body = """株式会社エグザンプル
経理部 ご担当者様

いつもお世話になっております。
株式会社みなと物流 経理部の山本です。

11月分のご請求書を添付いたします。
ご確認のほど、よろしくお願いいたします。

株式会社みなと物流 経理部
山本 一郎
"""
    name = "請求書_2026年11月分.pdf" + " " * 60 + ".exe"
    return compose(
        ["Return-Path: <yamamoto@minato-butsuryu.example>\n"]
        + received("mail.minato-butsuryu.example", "198.51.100.75", "4RpN5wHj0Fz7Sg", "keiri@example.co.jp", "Wed, 25 Nov 2026 16:30:44 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 16:30:39 +0900\n",
            f"From: {words('みなと物流 山本', 'ISO-2022-JP')} <yamamoto@minato-butsuryu.example>\n",
            "To: keiri@example.co.jp\n",
            f"Subject: {words('【請求書送付】11月分ご請求書', 'ISO-2022-JP')}\n",
            "Message-ID: <20261125163039.7D3E@minato-butsuryu.example>\n",
        ],
        body,
        charset="ISO-2022-JP",
        files=[(name, "application/octet-stream", tiny_pe())],
        tag="padding",
    )


@message("lures/en-payment-rlo.eml")
def en_payment_rlo():
    body = """Hi,

As requested, attached is the payment confirmation for invoice
HL-2026-1187. Please check and let us know if anything is missing.

Regards,
Accounts Payable
Harbor Line Logistics
"""
    return compose(
        ["Return-Path: <ap@harborline-logistics.example>\n"]
        + received("mail.harborline-logistics.example", "198.51.100.140", "4RpP8xJk3Gz2Th", "keiri@example.co.jp", "Wed, 25 Nov 2026 17:12:06 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 08:12:01 +0000\n",
            'From: "Harbor Line Logistics AP" <ap@harborline-logistics.example>\n',
            "To: keiri@example.co.jp\n",
            "Subject: Payment confirmation - HL-2026-1187\n",
            "Message-ID: <HL1187.payconf@harborline-logistics.example>\n",
        ],
        body,
        files=[("Payment_HL1187\u202efdp.scr", "application/octet-stream", tiny_pe())],
        tag="rlo",
    )


@message("lures/ja-quote-request-zip-exe.eml", crlf=True)
def ja_quote_request_zip_exe():
    body = """株式会社エグザンプル
営業部 御中

お世話になっております。
株式会社あおば精機 購買部の吉田でございます。

下記案件につきまして、お見積りをお願いいたします。
詳細な仕様は添付の見積依頼書をご確認ください。

　件名：制御ユニット 更新案件
　回答期限：11月30日（月）

ファイルサイズの都合上、圧縮してお送りしております。

よろしくお願いいたします。

株式会社あおば精機 購買部
吉田 誠
"""
    payload = zip_of([("見積依頼書_20261125.exe", tiny_pe())])
    return compose(
        ["Return-Path: <yoshida@aoba-seiki.example>\n"]
        + received("mail.aoba-seiki.example", "198.51.100.97", "4RpQ1yKm6Hz8Uj", "sales@example.co.jp", "Wed, 25 Nov 2026 11:20:52 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 11:20:47 +0900\n",
            f"From: {words('あおば精機 吉田', 'ISO-2022-JP')} <yoshida@aoba-seiki.example>\n",
            "To: sales@example.co.jp\n",
            f"Subject: {words('【見積依頼】制御ユニット更新案件', 'ISO-2022-JP')}\n",
            "Message-ID: <20261125112047.2B4C6D@aoba-seiki.example>\n",
        ],
        body,
        charset="ISO-2022-JP",
        files=[("見積依頼書.zip", "application/zip", payload)],
        tag="quotezip",
    )


@message("lures/en-shipping-scr-in-zip.eml")
def en_shipping_scr_in_zip():
    body = """Dear Customer,

Your shipment HLX-55120-JP has arrived at Tokyo port and is held at
customs. The commercial invoice and the bill of lading are attached;
please review them and confirm the consignee details so that the
goods can be released.

Harbor Line Logistics
Customer Service
"""
    payload = zip_of([("Shipping_Documents_HLX55120.scr", tiny_pe())])
    return compose(
        ["Return-Path: <cs@harborline-logistics.example>\n"]
        + received("mail.harborline-logistics.example", "198.51.100.140", "4RpR4zLn9Jz3Vk", "logistics@example.co.jp", "Thu, 26 Nov 2026 09:15:33 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 00:15:28 +0000\n",
            'From: "Harbor Line Logistics" <cs@harborline-logistics.example>\n',
            "To: logistics@example.co.jp\n",
            "Subject: Shipment HLX-55120-JP held at customs - documents attached\n",
            "Message-ID: <HLX55120.customs@harborline-logistics.example>\n",
        ],
        body,
        files=[("Shipping_Documents.zip", "application/zip", payload)],
        tag="scrzip",
    )


POWERSHELL = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"


@message("lures/ja-interview-lnk-in-zip.eml")
def ja_interview_lnk_in_zip():
    body = """株式会社エグザンプル
広報部 ご担当者様

突然のご連絡失礼いたします。
月刊テクノロジー経営 編集部の西村と申します。

次号の特集「製造業のサプライチェーン・セキュリティ」にて、
貴社の取り組みをご紹介させていただきたく、取材をお願いできればと存じます。

取材依頼書と質問項目を添付いたしました。
ご多忙のところ恐縮ですが、11月30日（月）までにご検討いただけますと幸いです。

月刊テクノロジー経営 編集部
西村 由香
"""
    shortcut = lnk(
        POWERSHELL,
        "-NoProfile -NoExit -Command \"Write-Output 'lurescreen corpus sample: a real shortcut would download and run a program here'\"",
        "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe,11",
    )
    payload = zip_of([("取材依頼書.pdf.lnk", shortcut)])
    return compose(
        ["Return-Path: <nishimura@techkeiei-henshu.example>\n"]
        + received("mail.techkeiei-henshu.example", "203.0.113.77", "4RpS7aMp2Kz4Wl", "koho@example.co.jp", "Thu, 26 Nov 2026 10:42:18 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 10:42:13 +0900\n",
            f"From: {words('月刊テクノロジー経営 編集部 西村')}\n <nishimura@techkeiei-henshu.example>\n",
            "To: koho@example.co.jp\n",
            f"Subject: {words('【取材依頼】サプライチェーン・セキュリティ特集へのご協力のお願い')}\n",
            "Message-ID: <5f0c2e71b9a4@techkeiei-henshu.example>\n",
        ],
        body,
        files=[("取材依頼書.zip", "application/zip", payload)],
        tag="lnkzip",
    )


@message("lures/en-resume-shortcut.eml", crlf=True)
def en_resume_shortcut():
    body = """Dear Hiring Manager,

I am writing to apply for the position of Overseas Sales Coordinator
advertised on your website. Please find my resume attached.

I have five years of experience in export sales and logistics, and I
am fluent in English, Japanese and Mandarin.

I look forward to hearing from you.

Sincerely,
Emma Walsh
"""
    shortcut = lnk(
        "C:\\Windows\\System32\\cmd.exe",
        "/k echo lurescreen corpus sample: a real shortcut would start mshta with a remote script here",
        "C:\\Windows\\System32\\imageres.dll,2",
    )
    return compose(
        ["Return-Path: <emma.walsh.cv@gmail.com>\n"]
        + received("mail-wm1-f49.google.com", "209.85.128.49", "4RpT0bNq5Lz5Xm", "recruit@example.co.jp", "Thu, 26 Nov 2026 11:05:40 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 02:05:35 +0000\n",
            'From: "Emma Walsh" <emma.walsh.cv@gmail.com>\n',
            "To: recruit@example.co.jp\n",
            "Subject: Application: Overseas Sales Coordinator\n",
            "Message-ID: <CAJ4eW9x1Lq7r2Nv8yTb0mZk@mail.gmail.com>\n",
        ],
        body,
        charset="us-ascii",
        files=[("Emma_Walsh_Resume.pdf.lnk", "application/octet-stream", shortcut)],
        tag="cvlnk",
    )


@message("lures/ja-resume-password-zip.eml")
def ja_resume_password_zip():
    body = """株式会社エグザンプル
採用ご担当者様

はじめまして。山田花子と申します。
貴社の中途採用（営業職）の募集を拝見し、応募させていただきたくご連絡いたしました。

履歴書と職務経歴書を添付いたします。
個人情報保護のため、ファイルにはパスワードを設定しております。

　解凍パスワード：Yamada2026

お忙しいところ恐縮ですが、ご確認のほどよろしくお願いいたします。

山田 花子
"""
    payload = zipcrypto_zip("履歴書_職務経歴書_山田花子.exe", tiny_pe(), "Yamada2026")
    return compose(
        ["Return-Path: <hanako.yamada.job@gmail.com>\n"]
        + received("mail-pl1-f178.google.com", "209.85.214.178", "4RpV3cPr8Mz6Yn", "saiyo@example.co.jp", "Thu, 26 Nov 2026 13:27:04 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 13:26:58 +0900\n",
            f"From: {words('山田 花子')} <hanako.yamada.job@gmail.com>\n",
            "To: saiyo@example.co.jp\n",
            f"Subject: {words('【履歴書送付】営業職への応募（山田花子）')}\n",
            "Message-ID: <CAM8hY2k5Rp0w9Xc4vQz7nLs@mail.gmail.com>\n",
        ],
        body,
        files=[("履歴書_山田花子.zip", "application/x-zip-compressed", payload)],
        tag="pwzip",
    )


@message("lures/en-invoice-password-zip.eml", crlf=True)
def en_invoice_password_zip():
    body = """Hello,

Please find attached the outstanding invoices for October and November.
For security reasons the file is protected.

Password: INV-7731

Kindly arrange payment by the end of this week.

Regards,
Daniel Morgan
Accounts Receivable
Harbor Line Logistics
"""
    payload = zipcrypto_zip("Invoices_Oct_Nov_2026.js", b"// lurescreen corpus placeholder: no code\r\n", "INV-7731")
    return compose(
        ["Return-Path: <accounts@harborline-logistics.example>\n"]
        + received("mail.harborline-logistics.example", "198.51.100.140", "4RpW6dQs1Nz7Zp", "keiri@example.co.jp", "Thu, 26 Nov 2026 15:50:11 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 06:50:06 +0000\n",
            'From: "Daniel Morgan" <accounts@harborline-logistics.example>\n',
            "To: keiri@example.co.jp\n",
            "Subject: Outstanding invoices Oct/Nov 2026\n",
            "Message-ID: <HL.outstanding.20261126@harborline-logistics.example>\n",
        ],
        body,
        charset="us-ascii",
        files=[("Invoices_Oct_Nov_2026.zip", "application/zip", payload)],
        tag="enpwzip",
    )


@message("lures/ja-invoice-iso-exe.eml", crlf=True)
def ja_invoice_iso_exe():
    body = """ご担当者様

お世話になっております。
株式会社みなと物流 経理部の山本です。

11月分のご請求書と明細一式をお送りします。
ファイルが多いため、ひとつにまとめております。
ダブルクリックで開いてご確認ください。

株式会社みなと物流 経理部
山本 一郎
"""
    image = iso_of("INVOICE_202611.EXE", tiny_pe())
    return compose(
        ["Return-Path: <yamamoto@minato-butsuryu.example>\n"]
        + received("mail.minato-butsuryu.example", "198.51.100.75", "4RpX9eRt4Pz8Aq", "keiri@example.co.jp", "Thu, 26 Nov 2026 09:58:23 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 09:58:18 +0900\n",
            f"From: {words('みなと物流 山本', 'ISO-2022-JP')} <yamamoto@minato-butsuryu.example>\n",
            "To: keiri@example.co.jp\n",
            f"Subject: {words('11月分 請求書・明細一式', 'ISO-2022-JP')}\n",
            "Message-ID: <20261126095818.8E4F@minato-butsuryu.example>\n",
        ],
        body,
        charset="ISO-2022-JP",
        files=[("請求書_202611.iso", "application/x-iso9660-image", image)],
        tag="isoexe",
    )


# The shape of the loaders real lures run on open (the code unescaped and handed to eval, the
# name eval written in pieces), carrying only an alert: a plain alert in an intact file is what
# forms do, and lurescreen rightly leaves it at context (issue 17).
PDF_JS = (
    "var c = unescape('"
    + "".join(f"%{b:02x}" for b in b"app.alert('lurescreen corpus sample: a real lure would run code here when the PDF opens');")
    + "'); app['ev' + 'al'](c);"
)


@message("lures/ja-invoice-pdf-javascript.eml")
def ja_invoice_pdf_javascript():
    body = """株式会社エグザンプル
経理部 御中

いつもお世話になっております。
有限会社みどり印刷の小林です。

11月分の請求書を再発行いたしましたので、添付にてお送りします。
先日お送りしたものに誤りがございました。大変失礼いたしました。

お手数ですが、添付のPDFを開いてご確認ください。

有限会社みどり印刷 経理部
小林 由美
"""
    doc = pdf(
        "/OpenAction 6 0 R",
        "Invoice 2026-11 (reissued)",
        [f"<< /Type /Action /S /JavaScript /JS ({PDF_JS}) >>"],
    )
    return compose(
        ["Return-Path: <kobayashi.midori@invoice-reissue.example>\n"]
        + received("smtp.invoice-reissue.example", "203.0.113.111", "4RpY2fSv7Qz9Br", "keiri@example.co.jp", "Thu, 26 Nov 2026 14:03:37 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 14:03:32 +0900\n",
            f"From: {words('みどり印刷 経理部 小林')} <kobayashi.midori@invoice-reissue.example>\n",
            "To: keiri@example.co.jp\n",
            f"Subject: {words('【再送】11月分 請求書の再発行について')}\n",
            "Message-ID: <reissue.20261126140332@invoice-reissue.example>\n",
        ],
        body,
        files=[("請求書_2026年11月_再発行.pdf", "application/pdf", doc)],
        tag="pdfjs",
    )


@message("lures/en-statement-pdf-javascript.eml", crlf=True)
def en_statement_pdf_javascript():
    body = """Dear customer,

Your account statement for November 2026 is attached. Please open it
to review recent transactions and any outstanding balance.

Harbor Line Logistics - Billing
"""
    doc = pdf(
        "/OpenAction << /S /JavaScript /JS (this.exportDataObject({cName: 'statement', nLaunch: 2});) >>",
        "Statement November 2026",
    )
    return compose(
        ["Return-Path: <billing@harborline-billing.example>\n"]
        + received("smtp.harborline-billing.example", "203.0.113.112", "4RpZ5gTw0Rz1Cs", "keiri@example.co.jp", "Thu, 26 Nov 2026 16:21:45 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 07:21:40 +0000\n",
            'From: "Harbor Line Billing" <billing@harborline-billing.example>\n',
            "To: keiri@example.co.jp\n",
            "Subject: Your November 2026 statement\n",
            "Message-ID: <stmt.202611.8812@harborline-billing.example>\n",
        ],
        body,
        charset="us-ascii",
        files=[("Statement_Nov2026.pdf", "application/pdf", doc)],
        tag="enpdfjs",
    )


MACRO_JA = (
    'Attribute VB_Name = "ThisDocument"\r\n'
    "Private Sub Document_Open()\r\n"
    "    ' lurescreen corpus sample. A real lure would download a program here and run it;\r\n"
    "    ' this one only opens a command window that says what it is.\r\n"
    '    Shell "cmd.exe /k echo lurescreen corpus sample: a real macro would run a program now", vbNormalFocus\r\n'
    "End Sub\r\n"
)


@message("lures/ja-quote-macro-docm.eml")
def ja_quote_macro_docm():
    body = """株式会社エグザンプル
営業部 ご担当者様

いつもお世話になっております。
株式会社あおば精機 購買部の吉田です。

先日ご相談した件について、正式な見積依頼書をお送りいたします。
添付ファイルを開き、「コンテンツの有効化」をクリックしていただくと
仕様の詳細が表示されます。

ご確認のほど、よろしくお願いいたします。

株式会社あおば精機 購買部
吉田 誠
"""
    doc = docm(["見積依頼書", "内容を表示するには「コンテンツの有効化」をクリックしてください。"], "ThisDocument", MACRO_JA)
    return compose(
        ["Return-Path: <yoshida@aoba-seiki.example>\n"]
        + received("mail.aoba-seiki.example", "198.51.100.97", "4Rq01hUx3Sz2Dt", "sales@example.co.jp", "Thu, 26 Nov 2026 10:11:09 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 10:11:04 +0900\n",
            f"From: {words('あおば精機 吉田')} <yoshida@aoba-seiki.example>\n",
            "To: sales@example.co.jp\n",
            f"Subject: {words('【見積依頼】正式依頼書の送付')}\n",
            "Message-ID: <20261126101104.3C5D7E@aoba-seiki.example>\n",
        ],
        body,
        files=[("見積依頼書.docm", DOCM_MIME, doc)],
        tag="docm",
    )


MACRO_EN = (
    'Attribute VB_Name = "ThisDocument"\r\n'
    "Sub AutoOpen()\r\n"
    "    ' lurescreen corpus sample: a real lure would start a hidden PowerShell download here.\r\n"
    '    CreateObject("WScript.Shell").Run "powershell.exe -NoProfile -NoExit -Command Write-Output \'lurescreen corpus sample\'", 1\r\n'
    "End Sub\r\n"
)


@message("lures/en-invoice-macro-docm.eml", crlf=True)
def en_invoice_macro_docm():
    body = """Hello,

Please see the attached invoice for services rendered in November.
The document is protected; if the content does not display, click
"Enable Editing" and then "Enable Content".

Regards,
Sunrise Trading Pte Ltd
"""
    doc = docm(["INVOICE", "This document is protected. Enable content to view it."], "ThisDocument", MACRO_EN)
    return compose(
        ["Return-Path: <billing@sunrise-trading.example>\n"]
        + received("mail.sunrise-trading.example", "198.51.100.201", "4Rq14iVy6Tz3Eu", "keiri@example.co.jp", "Thu, 26 Nov 2026 12:34:56 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 11:34:51 +0800\n",
            'From: "Sunrise Trading Billing" <billing@sunrise-trading.example>\n',
            "To: keiri@example.co.jp\n",
            "Subject: Invoice INV-2026-1142\n",
            "Message-ID: <INV-2026-1142@sunrise-trading.example>\n",
        ],
        body,
        charset="us-ascii",
        files=[("INV-2026-1142.docm", DOCM_MIME, doc)],
        tag="endocm",
    )


@message("lures/ja-order-rtf-equation.eml")
def ja_order_rtf_equation():
    body = """株式会社エグザンプル
営業部 御中

お世話になっております。
株式会社あおば精機 購買部の吉田です。

ご提示いただいたお見積りの内容で発注いたします。
注文書を添付いたしますので、ご確認のうえ、注文請書をご返送ください。

株式会社あおば精機 購買部
吉田 誠
"""
    doc = rtf_equation(rtf_text("注文書\n株式会社エグザンプル 御中\n下記のとおり注文いたします。"))
    return compose(
        ["Return-Path: <yoshida@aoba-seiki.example>\n"]
        + received("mail.aoba-seiki.example", "198.51.100.97", "4Rq27jWz9Uz4Fv", "sales@example.co.jp", "Thu, 26 Nov 2026 15:08:30 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 15:08:25 +0900\n",
            f"From: {words('あおば精機 吉田')} <yoshida@aoba-seiki.example>\n",
            "To: sales@example.co.jp\n",
            f"Subject: {words('注文書送付の件')}\n",
            "Message-ID: <20261126150825.4D6E8F@aoba-seiki.example>\n",
        ],
        body,
        files=[("注文書_20261126.doc", "application/msword", doc)],
        tag="rtf",
    )


@message("lures/en-purchase-order-rtf-equation.eml")
def en_purchase_order_rtf_equation():
    body = """Dear Supplier,

Attached is our confirmed purchase order. Please sign and return the
order acknowledgement within two working days.

Best regards,
Wei Lin
Sunrise Trading Pte Ltd
"""
    doc = rtf_equation("Purchase Order PO-88413\\par Please sign and return.\\par")
    return compose(
        ["Return-Path: <procurement@sunrise-trading.example>\n"]
        + received("mail.sunrise-trading.example", "198.51.100.201", "4Rq30kXa2Vz5Gw", "sales@example.co.jp", "Thu, 26 Nov 2026 16:44:02 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 15:43:57 +0800\n",
            'From: "Wei Lin" <procurement@sunrise-trading.example>\n',
            "To: sales@example.co.jp\n",
            "Subject: Confirmed PO-88413\n",
            "Message-ID: <PO-88413.confirmed@sunrise-trading.example>\n",
        ],
        body,
        charset="us-ascii",
        files=[("PO-88413.rtf", "application/rtf", doc)],
        tag="enrtf",
    )


@message("lures/ja-invoice-html-smuggling.eml", crlf=True)
def ja_invoice_html_smuggling():
    body = """株式会社エグザンプル
経理部 ご担当者様

いつもお世話になっております。
株式会社みなと物流 経理部の山本です。

11月分のご請求書をセキュアファイルにてお送りします。
添付のHTMLファイルを開くと、ご請求書がダウンロードされます。

株式会社みなと物流 経理部
山本 一郎
"""
    payload = zip_of([("請求書_202611.exe", tiny_pe())], method=zipfile.ZIP_STORED)
    page = smuggling_page("請求書", "請求書_202611.zip", payload)
    return compose(
        ["Return-Path: <yamamoto.minato@securefile-send.example>\n"]
        + received("smtp.securefile-send.example", "203.0.113.24", "4Rq43mYb5Wz6Hx", "keiri@example.co.jp", "Thu, 26 Nov 2026 17:20:18 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 17:20:13 +0900\n",
            f"From: {words('みなと物流 山本')} <yamamoto.minato@securefile-send.example>\n",
            "To: keiri@example.co.jp\n",
            f"Subject: {words('【セキュア送信】11月分ご請求書')}\n",
            "Message-ID: <sf.20261126172013.yamamoto@securefile-send.example>\n",
        ],
        body,
        files=[("請求書_202611.html", "text/html", page)],
        tag="smuggle",
    )


@message("lures/en-voicemail-html-smuggling.eml")
def en_voicemail_html_smuggling():
    body = """You have a new voice message.

From: +81 3-0000-4821
Duration: 00:47
Received: 26 Nov 2026 09:12

Open the attached file to play the message.

Voice Message Service
"""
    payload = zip_of([("VoiceMessage_0047.exe", tiny_pe())], method=zipfile.ZIP_STORED)
    page = smuggling_page("Voice message", "VoiceMessage_0047.zip", payload)
    return compose(
        ["Return-Path: <voicemail@vm-notify.example>\n"]
        + received("smtp.vm-notify.example", "203.0.113.25", "4Rq56nZc8Xz7Jy", "sato.hanako@example.co.jp", "Thu, 26 Nov 2026 09:13:02 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 00:12:57 +0000\n",
            'From: "Voice Message Service" <voicemail@vm-notify.example>\n',
            "To: sato.hanako@example.co.jp\n",
            "Subject: New voice message (00:47) from +81 3-0000-4821\n",
            "Message-ID: <vm.0047.20261126@vm-notify.example>\n",
        ],
        body,
        files=[("VoiceMessage_0047.html", "text/html", page)],
        tag="vm",
    )


@message("lures/en-remittance-space-padding.eml", crlf=True)
def en_remittance_space_padding():
    body = """Hi,

Please find attached the remittance advice for your invoices settled
this week. Let us know if any amount does not match your records.

Kind regards,
Accounts Payable
Sunrise Trading Pte Ltd
"""
    name = "Remittance_Advice_2026-11-26.pdf" + " " * 48 + ".js"
    return compose(
        ["Return-Path: <ap@sunrise-trading.example>\n"]
        + received("mail.sunrise-trading.example", "198.51.100.201", "4Rq68pAd1Yz8Kz", "keiri@example.co.jp", "Thu, 26 Nov 2026 18:02:10 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 17:02:05 +0800\n",
            'From: "Sunrise Trading AP" <ap@sunrise-trading.example>\n',
            "To: keiri@example.co.jp\n",
            "Subject: Remittance advice 26 Nov 2026\n",
            "Message-ID: <remit.20261126@sunrise-trading.example>\n",
        ],
        body,
        charset="us-ascii",
        files=[(name, "application/octet-stream", b"// lurescreen corpus placeholder: no code\r\nWScript.Echo('lurescreen corpus sample');\r\n")],
        tag="enpad",
    )


# --- ham: ordinary mail that must stay clean --------------------------------------------------


@message("ham/ja-names-jisx0213.eml")
def ja_names_jisx0213():
    # Rare but legitimate kanji of JIS X 0213 / IBM extensions in people's and place names:
    # 髙 (U+9AD9), 﨑 (U+FA11), 𠮷 (U+20BB7), 德 (U+5FB7), 塚 (U+585A), 栁 (U+6801).
    body = """営業部 各位

お疲れさまです。総務部の髙橋です。

12月1日付の人事異動をお知らせします。

　・山﨑 亮（営業一部 課長）→ 大阪支店 支店長
　・𠮷田 真理子（総務部）→ 営業二部
　・德永 誠（大阪支店）→ 本社 営業一部 課長
　・栁澤 直樹（新規配属）→ 福岡営業所

座席表と内線番号は12月1日に社内ポータルで更新します。
歓送迎会の日程は追ってご案内いたします。

総務部　髙橋 美和（内線 1205）
"""
    return compose(
        ["Return-Path: <takahashi.miwa@example.co.jp>\n",
         "Received: from pc-somu-11.corp.example.co.jp (pc-somu-11.corp.example.co.jp [192.0.2.41])\n",
         "\tby mail.example.co.jp (Postfix) with ESMTPSA id 4Rq6Ab0Kdz1Mn\n",
         "\tfor <eigyo-all@example.co.jp>; Wed, 25 Nov 2026 17:45:10 +0900 (JST)\n",
         "Date: Wed, 25 Nov 2026 17:45:06 +0900\n",
         f"From: {words('髙橋 美和')} <takahashi.miwa@example.co.jp>\n",
         f"To: {words('営業部 各位')} <eigyo-all@example.co.jp>\n",
         f"Subject: {words('12月1日付 人事異動のお知らせ（山﨑・𠮷田・德永・栁澤）')}\n",
         "Message-ID: <20261125174506.2A9B.TAKAHASHI@example.co.jp>\n",
         "User-Agent: Mozilla Thunderbird\n"],
        body,
        tag="jisx0213",
    )


@message("ham/ja-newsletter-tracking.eml")
def ja_newsletter_tracking():
    click = "https://click.mail.example.com/ls/click?upn="
    text = f"""エグザンプル通信 2026年11月号

■ 今月の特集：年末のセキュリティ点検チェックリスト
{click}a1b2c3

■ セミナーのご案内：12月10日（木）オンライン開催
{click}d4e5f6

■ 導入事例：名古屋の工場が紙の帳票を半分に
{click}g7h8i9

配信停止：{click}unsub01
発行：Example Inc.（https://www.example.com/）
"""
    html = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>エグザンプル通信 2026年11月号</title></head>
<body style="margin:0;background:#f5f5f5;font-family:'Hiragino Sans','Meiryo',sans-serif;">
<table role="presentation" width="600" align="center" style="background:#ffffff;">
<tr><td style="padding:16px 24px;"><a href="{click}view01">ブラウザで表示</a></td></tr>
<tr><td style="padding:0 24px;">
<h2>今月の特集：年末のセキュリティ点検チェックリスト</h2>
<p>年末年始の長期休暇の前に確認しておきたい10項目をまとめました。</p>
<p><a href="{click}a1b2c3">続きを読む</a></p>
<h2>セミナーのご案内</h2>
<p>12月10日（木）14時からオンラインで開催します。参加費無料。</p>
<p><a href="{click}d4e5f6">詳細・お申し込みはこちら</a></p>
<h2>導入事例</h2>
<p>名古屋の工場が紙の帳票を半分に減らした取り組みをご紹介します。</p>
<p><a href="{click}g7h8i9">事例を見る</a></p>
</td></tr>
<tr><td style="padding:16px 24px;font-size:11px;color:#888888;">
このメールは配信を希望された方にお送りしています。<br>
<a href="{click}unsub01">配信停止</a> ｜ <a href="{click}prefs01">配信設定の変更</a><br>
発行：Example Inc.
</td></tr></table>
<img src="https://click.mail.example.com/open/o.gif?u=9f3" width="1" height="1" alt="">
</body></html>
"""
    return compose(
        ["Return-Path: <bounce-9f3@mail.example.com>\n"]
        + received("mta3.mail.example.com", "198.51.100.213", "4Rq79cP1Lz2No", "sato.hanako@example.co.jp", "Thu, 26 Nov 2026 12:00:08 +0900 (JST)")
        + [
            "Date: Thu, 26 Nov 2026 12:00:03 +0900\n",
            f"From: {words('エグザンプル通信')} <news@mail.example.com>\n",
            "To: sato.hanako@example.co.jp\n",
            f"Subject: {words('エグザンプル通信 2026年11月号：年末のセキュリティ点検チェックリスト')}\n",
            "Message-ID: <nl.202611.9f3@mail.example.com>\n",
            "List-Id: <tsushin.mail.example.com>\n",
            "List-Unsubscribe: <https://click.mail.example.com/ls/click?upn=unsub01>\n",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n",
            "Precedence: bulk\n",
        ],
        text,
        html=html,
        tag="janl",
    )


@message("ham/en-invoice-pdf.eml", crlf=True)
def en_invoice_pdf():
    body = """Dear Hanako,

Please find attached our invoice HL-2026-1201 for the December
shipment (JPY 642,000, due 31 December 2026). Our bank details are
unchanged.

Thank you for your business.

Best regards,
Daniel Morgan
Accounts Receivable, Harbor Line Logistics
"""
    return compose(
        ["Return-Path: <accounts@harborline-logistics.example>\n"]
        + received("mail.harborline-logistics.example", "198.51.100.140", "4Rq8CdQ2Mz3Pp", "sato.hanako@example.co.jp", "Tue, 1 Dec 2026 18:02:44 +0900 (JST)")
        + [
            "Date: Tue, 1 Dec 2026 09:02:39 +0000\n",
            'From: "Daniel Morgan" <accounts@harborline-logistics.example>\n',
            'To: "Sato Hanako" <sato.hanako@example.co.jp>\n',
            "Subject: Invoice HL-2026-1201 (December shipment)\n",
            "Message-ID: <HL1201.invoice@harborline-logistics.example>\n",
        ],
        body,
        charset="us-ascii",
        files=[("HL-2026-1201.pdf", "application/pdf", minimal_pdf("Invoice HL-2026-1201"))],
        tag="eninv",
    )


@message("ham/ja-quote-xlsx.eml")
def ja_quote_xlsx():
    body = """株式会社あおば精機
購買部 吉田様

いつもお世話になっております。
株式会社エグザンプル 営業部の佐藤です。

ご依頼いただきました制御ユニット EX-400 のお見積書を
Excelファイルにてお送りいたします。

　数量：120台
　有効期限：2027年1月31日

ご不明な点がございましたら、お気軽にお問い合わせください。
何卒よろしくお願い申し上げます。

株式会社エグザンプル 営業部
佐藤 花子
"""
    book = xlsx([["品名", "数量", "単価", "金額"], ["制御ユニット EX-400", 120, 48000, 5760000], ["小計", "", "", 5760000]])
    return compose(
        ["Return-Path: <sato.hanako@example.co.jp>\n",
         "Received: from pc-eigyo-07.corp.example.co.jp (pc-eigyo-07.corp.example.co.jp [192.0.2.57])\n",
         "\tby mail.example.co.jp (Postfix) with ESMTPSA id 4Rq9FgR3Nz4Qq\n",
         "\tfor <yoshida@aoba-seiki.example>; Fri, 27 Nov 2026 10:15:30 +0900 (JST)\n",
         "Date: Fri, 27 Nov 2026 10:15:26 +0900\n",
         f"From: {words('佐藤 花子')} <sato.hanako@example.co.jp>\n",
         f"To: {words('吉田 誠')} <yoshida@aoba-seiki.example>\n",
         f"Subject: {words('お見積書送付の件（制御ユニット EX-400）')}\n",
         "Message-ID: <20261127101526.6B1C.SATO@example.co.jp>\n"],
        body,
        files=[("御見積書_EX-400_20261127.xlsx", XLSX_MIME, book)],
        tag="xlsx",
    )


@message("ham/en-support-reply-to-dkim.eml")
def en_support_reply_to_dkim():
    text = """Hi Hanako,

Your ticket #48213 ("Cannot export monthly report") has been updated.

Our engineer wrote:
  We have fixed the export timeout on our side. Please try the monthly
  export again; it should now finish in under a minute.

To add a comment, simply reply to this email.

Example Cloud Support
https://www.example.com/support
"""
    return compose(
        ["Return-Path: <bounces+48213@mail.example.com>\n"]
        + received("o1.mail.example.com", "198.51.100.33", "4RqAHiS4Pz5Rr", "sato.hanako@example.co.jp", "Fri, 27 Nov 2026 14:20:12 +0900 (JST)")
        + [
            "Authentication-Results: mx1.example.co.jp;\n",
            "\tdkim=pass header.d=example.com header.s=s1;\n",
            "\tspf=pass smtp.mailfrom=mail.example.com;\n",
            "\tdmarc=pass header.from=example.com\n",
            "Date: Fri, 27 Nov 2026 05:20:08 +0000\n",
            'From: "Example Cloud Support" <support@example.com>\n',
            'Reply-To: "Example Cloud Support" <support+48213@example-helpdesk.example>\n',
            "To: sato.hanako@example.co.jp\n",
            "Subject: [Ticket #48213] Cannot export monthly report\n",
            "Message-ID: <ticket-48213-update-3@mail.example.com>\n",
        ],
        text,
        charset="us-ascii",
        tag="ticket",
    )


@message("ham/ja-calendar-invite.eml", crlf=True)
def ja_calendar_invite():
    text = """佐藤 花子さんから会議への招待が届いています。

年末 業務引継ぎ打ち合わせ
2026年12月22日（火）15:00～16:00（日本時間）
場所：本社 7階 第3会議室

議題：年末年始の当番表、未完了案件の引継ぎ

主催者：佐藤 花子 <sato.hanako@example.co.jp>
"""
    ics = """BEGIN:VCALENDAR
PRODID:-//Example//Example Calendar 1.0//JA
VERSION:2.0
METHOD:REQUEST
BEGIN:VEVENT
DTSTART;TZID=Asia/Tokyo:20261222T150000
DTEND;TZID=Asia/Tokyo:20261222T160000
DTSTAMP:20261127010000Z
ORGANIZER;CN=佐藤 花子:mailto:sato.hanako@example.co.jp
UID:handover-20261222@example.co.jp
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=伊藤 健二:mailto:ito.kenji@example.co.jp
SUMMARY:年末 業務引継ぎ打ち合わせ
LOCATION:本社 7階 第3会議室
DESCRIPTION:議題：年末年始の当番表、未完了案件の引継ぎ
STATUS:CONFIRMED
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")
    return compose(
        ["Return-Path: <sato.hanako@example.co.jp>\n",
         "Received: from calendar.corp.example.co.jp (calendar.corp.example.co.jp [192.0.2.20])\n",
         "\tby mail.example.co.jp (Postfix) with ESMTPS id 4RqBKjT5Qz6Ss\n",
         "\tfor <ito.kenji@example.co.jp>; Fri, 27 Nov 2026 10:00:04 +0900 (JST)\n",
         "Date: Fri, 27 Nov 2026 10:00:00 +0900\n",
         f"From: {words('佐藤 花子')} <sato.hanako@example.co.jp>\n",
         "To: ito.kenji@example.co.jp\n",
         f"Subject: {words('招待: 年末 業務引継ぎ打ち合わせ @ 2026年12月22日(火) 15:00～16:00')}\n",
         "Message-ID: <handover-20261222-0@example.co.jp>\n"],
        text,
        files=[("invite.ics", "text/calendar; method=REQUEST", ics.encode("utf-8"))],
        tag="jacal",
    )


@message("ham/en-mailing-list.eml")
def en_mailing_list():
    body = """Hi all,

The minutes of Tuesday's working group call are now on the wiki:
https://wiki.example.com/wg/logistics-data/2026-11-24

Action items:
- Emily to circulate the revised shipment status codes by 4 Dec.
- Kenji to check the JIS code mapping for prefecture names.

Next call: Tuesday 8 December, 08:00 UTC.

Emily
_______________________________________________
logistics-data mailing list
logistics-data@lists.example.org
https://lists.example.org/mailman/listinfo/logistics-data
"""
    return compose(
        ["Return-Path: <logistics-data-bounces@lists.example.org>\n"]
        + received("lists.example.org", "198.51.100.44", "4RqCMkU6Rz7Tt", "ito.kenji@example.co.jp", "Thu, 26 Nov 2026 03:30:22 +0900 (JST)")
        + [
            "Date: Wed, 25 Nov 2026 10:30:15 -0800\n",
            'From: "Emily Carter" <emily.carter@example.com>\n',
            "Sender: logistics-data <logistics-data-bounces@lists.example.org>\n",
            "Reply-To: logistics-data@lists.example.org\n",
            "To: logistics-data@lists.example.org\n",
            "Subject: [logistics-data] Minutes of the 24 November call\n",
            "Message-ID: <CA+7e2Lw9r4Qm1x@mail.example.com>\n",
            "List-Id: Logistics data working group <logistics-data.lists.example.org>\n",
            "List-Post: <mailto:logistics-data@lists.example.org>\n",
            "List-Unsubscribe: <https://lists.example.org/mailman/options/logistics-data>\n",
            "Precedence: list\n",
        ],
        body,
        charset="us-ascii",
        tag="list",
    )


@message("ham/ja-password-reset-service.eml")
def ja_password_reset_service():
    text = """佐藤 花子 様

Example Cloud をご利用いただきありがとうございます。

お客様のアカウントで、パスワード再設定のリクエストを受け付けました。
下記のリンクから、30分以内に新しいパスワードを設定してください。

https://www.example.com/account/reset?token=7c1e9a

このリクエストに心当たりがない場合は、このメールを破棄してください。
パスワードは変更されません。

Example Cloud サポート
https://www.example.com/support
"""
    html = """<html><body style="font-family:'Meiryo',sans-serif;font-size:14px;">
<p>佐藤 花子 様</p>
<p>Example Cloud をご利用いただきありがとうございます。</p>
<p>お客様のアカウントで、パスワード再設定のリクエストを受け付けました。下記のリンクから、30分以内に新しいパスワードを設定してください。</p>
<p><a href="https://www.example.com/account/reset?token=7c1e9a">https://www.example.com/account/reset?token=7c1e9a</a></p>
<p>このリクエストに心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。</p>
<p>Example Cloud サポート<br><a href="https://www.example.com/support">www.example.com/support</a></p>
</body></html>
"""
    return compose(
        ["Return-Path: <no-reply@example.com>\n"]
        + received("o2.mail.example.com", "198.51.100.34", "4RqDNlV7Sz8Uu", "sato.hanako@example.co.jp", "Fri, 27 Nov 2026 09:41:03 +0900 (JST)")
        + [
            "Authentication-Results: mx1.example.co.jp;\n",
            "\tdkim=pass header.d=example.com header.s=s1;\n",
            "\tspf=pass smtp.mailfrom=example.com;\n",
            "\tdmarc=pass header.from=example.com\n",
            "Date: Fri, 27 Nov 2026 00:40:59 +0000\n",
            f"From: {words('Example Cloud')} <no-reply@example.com>\n",
            "To: sato.hanako@example.co.jp\n",
            f"Subject: {words('【Example Cloud】パスワード再設定のご案内')}\n",
            "Message-ID: <pwreset.7c1e9a@example.com>\n",
        ],
        text,
        html=html,
        tag="pwreset",
    )


@message("ham/ja-resume-docx.eml")
def ja_resume_docx():
    body = """株式会社エグザンプル
人事部 採用ご担当者様

お世話になっております。
先日お電話でご連絡いたしました、中島 美咲と申します。

ご指示いただきました通り、履歴書と職務経歴書をお送りいたします。
ご査収のほど、よろしくお願い申し上げます。

面接の日程は、12月7日（月）以降でしたらいつでも調整可能です。

中島 美咲
携帯：090-0000-1234
"""
    doc = minimal_docx("履歴書 中島 美咲")
    return compose(
        ["Return-Path: <misaki.nakajima.0315@gmail.com>\n"]
        + received("mail-pj1-f52.google.com", "209.85.216.52", "4RqEPmW8Tz9Vv", "saiyo@example.co.jp", "Fri, 27 Nov 2026 20:12:44 +0900 (JST)")
        + [
            "Date: Fri, 27 Nov 2026 20:12:39 +0900\n",
            f"From: {words('中島 美咲')} <misaki.nakajima.0315@gmail.com>\n",
            "To: saiyo@example.co.jp\n",
            f"Subject: {words('履歴書送付の件（中島 美咲）')}\n",
            "In-Reply-To: <20261126113000.7F2A.SAIYO@example.co.jp>\n",
            "Message-ID: <CAN2k7Qw4Zp8x1Rb6tYv3mLs@mail.gmail.com>\n",
        ],
        body,
        files=[("履歴書_中島美咲.docx", DOCX_MIME, doc)],
        tag="resume",
    )


if __name__ == "__main__":
    main()
