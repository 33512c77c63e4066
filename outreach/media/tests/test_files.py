"""Checks of uploaded media by content: WebVTT captions, podcast artwork, MP3/M4A audio."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from outreach.media.files import artwork_check, audio_inspect, mp3_silence, webvtt_parse
from outreach.media.tests.factories import VTT, png


def test_webvtt_counts_cues():
    assert webvtt_parse(VTT) == 2
    assert (
        webvtt_parse(b"\xef\xbb\xbfWEBVTT - title\r\n\r\n1\r\n01:00:00.000 --> 01:00:01.000 align:start\r\nHi\r\n") == 1
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"1\n00:00.000 --> 00:01.000\nNo header\n", "not_webvtt"),
        (b"WEBVTTX\n\n00:00.000 --> 00:01.000\nx\n", "not_webvtt"),
        (b"WEBVTT\n\n", "no_cues"),
        (b"WEBVTT\n\n00:00 --> 00:01.000\nbad\n", "bad_cue"),
        (b"WEBVTT\n\n00:05.000 --> 00:01.000\nbackwards\n", "bad_cue"),
        (b"WEBVTT\n\n\xff\xfe", "not_utf8"),
        (b"1\n00:00:00,000 --> 00:00:01,000\nAn SRT file\n", "not_webvtt"),
    ],
)
def test_webvtt_refuses(data, code):
    with pytest.raises(ValidationError) as exc:
        webvtt_parse(data)
    assert exc.value.code == code


def test_artwork_square_jpeg_and_png_within_limits():
    assert artwork_check(png(1400)) == ("PNG", 1400)
    assert artwork_check(png(3000, fmt="JPEG")) == ("JPEG", 3000)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (png(1399), "bad_size"),
        (png(3001), "bad_size"),
        (png(1400, 1500), "not_square"),
        (png(1400, fmt="GIF"), "not_image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not_image"),
        (png(1400)[:2000], "damaged"),
    ],
)
def test_artwork_refuses(data, code):
    with pytest.raises(ValidationError) as exc:
        artwork_check(data)
    assert exc.value.code == code


def _file(data: bytes) -> ContentFile:
    return ContentFile(data, name="x")


def test_mp3_frames_are_recognised_with_their_duration():
    info = audio_inspect(_file(mp3_silence(seconds=10)))
    assert info.content_type == "audio/mpeg"
    assert info.duration_seconds == 10


def test_mp3_after_an_id3_tag():
    tag_body = b"\x00" * 100
    size = bytes([0, 0, 0, len(tag_body)])  # syncsafe
    data = b"ID3\x04\x00\x00" + size + tag_body + mp3_silence(seconds=3)
    info = audio_inspect(_file(data))
    assert info.content_type == "audio/mpeg"
    assert info.duration_seconds == 3


def _m4a(*, seconds: int, brand: bytes = b"M4A ") -> bytes:
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", brand, 0, brand)
    mvhd_payload = bytes(4) + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_payload), b"mvhd") + mvhd_payload
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    mdat = struct.pack(">I4s", 16, b"mdat") + bytes(8)
    return ftyp + mdat + moov


def test_m4a_is_recognised_with_its_duration():
    info = audio_inspect(_file(_m4a(seconds=754)))
    assert info == type(info)("audio/mp4", 754)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>not audio</body></html>" * 50,
        b"\xff\xfb" + bytes(2000),  # a lone sync word without a valid header after it
        _m4a(seconds=5, brand=b"qt  "),  # a QuickTime movie, not audio
        bytes(5000),
    ],
)
def test_audio_refuses_what_is_not_mp3_or_m4a(data):
    with pytest.raises(ValidationError) as exc:
        audio_inspect(_file(data))
    assert exc.value.code == "not_audio"


def test_audio_refuses_empty_and_oversized(settings):
    with pytest.raises(ValidationError) as exc:
        audio_inspect(_file(b""))
    assert exc.value.code == "empty"
    settings.JCR_AUDIO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        audio_inspect(_file(mp3_silence(seconds=1)))
    assert exc.value.code == "too_large"


def test_inspection_leaves_the_file_at_its_start():
    file = io.BytesIO(mp3_silence(seconds=1))
    audio_inspect(file)
    assert file.tell() == 0
