#!/usr/bin/env python3
"""Writes the .eml files of the lurescreen sample corpus (see README.md).

    python3 corpus/make_corpus.py

Every message is spelled out below as the lines a mail program would send. The script only does
what is tedious by hand: RFC 2047 encoded-words, ISO-2022-JP / Shift_JIS bodies, base64 and
quoted-printable, RFC 2231 file names, and CRLF line ends. Output is deterministic (fixed dates,
ids and boundaries), so re-running it leaves an unchanged corpus unchanged.

The sidecar .toml files are written by hand and are not touched here. A message added to the corpus
without this script (say, a real lure with personal data removed) is left alone as well.

Safety: attachments are a few placeholder bytes (a file-type magic number plus a note), never
code. Domains are reserved for documentation (`.example`, example.com, example.jp, example.co.jp,
RFC 2606 / RFC 6761 / JPRS) and addresses are TEST-NET (RFC 5737); the only other names are
fictional brands (Tsukimino Bank, tsukimino-bank.co.jp) shown as link text, never linked to.
"""

import base64
import quopri
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent

CODECS = {"UTF-8": "utf-8", "ISO-2022-JP": "iso2022_jp", "Shift_JIS": "shift_jis"}


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


if __name__ == "__main__":
    main()
