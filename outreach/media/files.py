"""Checks of the media files staff upload: WebVTT captions, podcast artwork and audio.

Every check reads the bytes, never the name or the content type the browser sent:

* captions: UTF-8 text that starts with "WEBVTT" and holds at least one cue whose timing line
  parses ("00:01.000 --> 00:04.500"), with the end after the start;
* artwork: a JPEG or PNG that Pillow decodes, square, 1400 to 3000 pixels on a side (what
  Apple Podcasts asks for);
* audio: MP3 (an ID3 tag and/or two consecutive MPEG audio frame headers) or M4A (an ISO
  media file whose `ftyp` brand is an audio one). The duration is read from the file: the
  Xing/Info header or the bit rate of a constant-bit-rate MP3, the `mvhd` box of an M4A.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

CAPTIONS_MAX_BYTES = 2 * 1024 * 1024
ARTWORK_MIN, ARTWORK_MAX = 1400, 3000
HEAD_BYTES = 64 * 1024

_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_CUE_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t].*)?$")


def _read_all(file, limit: int) -> bytes:
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    if len(data) > limit:
        raise ValidationError(
            _("This file is too large (at most %(limit)s)."), code="too_large", params={"limit": filesizeformat(limit)}
        )
    return data


def _seconds(h, m, s, ms) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def webvtt_parse(data: bytes) -> int:
    """Check WebVTT text; returns the number of cues. Raises ValidationError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Captions must be a UTF-8 text file."), code="not_utf8") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = lines[0]
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(_("A WebVTT captions file starts with the line WEBVTT."), code="not_webvtt")
    cues = 0
    for number, line in enumerate(lines[1:], start=2):
        if "-->" not in line:
            continue
        match = _CUE_TIMING.match(line.strip())
        if not match:
            raise ValidationError(
                _("Line %(line)d of the captions is not a valid cue timing (like 00:01.000 --> 00:04.000)."),
                code="bad_cue",
                params={"line": number},
            )
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= start:
            raise ValidationError(
                _("The cue on line %(line)d ends before it starts."), code="bad_cue", params={"line": number}
            )
        cues += 1
    if not cues:
        raise ValidationError(_("The captions file has no cues."), code="no_cues")
    return cues


def _stored(file) -> bool:
    """A file already in storage was checked when it was uploaded; editing other fields of
    its row does not read it again."""
    return bool(getattr(file, "_committed", False))


def webvtt_file_validator(file) -> None:
    if _stored(file):
        return
    webvtt_parse(_read_all(file, CAPTIONS_MAX_BYTES))


# --- Artwork ------------------------------------------------------------------------------


def artwork_check(data: bytes) -> tuple[str, int]:
    """Check podcast artwork; returns (Pillow format, side). Raises ValidationError."""
    try:
        image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Artwork must be a JPEG or PNG image."), code="not_image") from None
    width, height = image.size
    if width != height:
        raise ValidationError(
            _("Artwork must be square; this image is %(width)d by %(height)d pixels."),
            code="not_square",
            params={"width": width, "height": height},
        )
    if not ARTWORK_MIN <= width <= ARTWORK_MAX:
        raise ValidationError(
            _("Artwork must be between %(min)d and %(max)d pixels on a side; this image is %(side)d."),
            code="bad_size",
            params={"min": ARTWORK_MIN, "max": ARTWORK_MAX, "side": width},
        )
    try:
        image.load()
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("This image is damaged or incomplete."), code="damaged") from None
    return image.format, width


def artwork_file_validator(file) -> None:
    if _stored(file):
        return
    artwork_check(_read_all(file, settings.JCR_UPLOAD_MAX_BYTES))


# --- Audio --------------------------------------------------------------------------------

# MPEG audio: bit rates (kbit/s) by [version group][layer][index] and sample rates by version.
_BITRATES = {
    (1, 1): [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    (1, 2): [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    (1, 3): [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    (2, 1): [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    (2, 2): [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    (2, 3): [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
_SAMPLE_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2", b"dash"}


@dataclass(frozen=True)
class AudioInfo:
    content_type: str  # "audio/mpeg" or "audio/mp4"
    duration_seconds: int | None


@dataclass(frozen=True)
class _Frame:
    length: int
    bitrate: int  # bit/s
    sample_rate: int
    samples: int
    version_bits: int
    channel_mode: int


def _mpeg_frame(header: bytes) -> _Frame | None:
    """Decode a 4-byte MPEG audio frame header; None when it is not one."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version_bits = (header[1] >> 3) & 0b11  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
    layer_bits = (header[1] >> 1) & 0b11  # 3: layer I, 2: II, 1: III, 0: reserved
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 0b11
    if version_bits == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    layer = 4 - layer_bits
    group = 1 if version_bits == 3 else 2
    bitrate = _BITRATES[(group, layer)][bitrate_index] * 1000
    sample_rate = _SAMPLE_RATES[version_bits][rate_index]
    padding = (header[2] >> 1) & 1
    if layer == 1:
        samples = 384
        length = (12 * bitrate // sample_rate + padding) * 4
    else:
        samples = 1152 if (layer == 2 or group == 1) else 576
        length = samples // 8 * bitrate // sample_rate + padding
    return _Frame(length, bitrate, sample_rate, samples, version_bits, header[3] >> 6)


def _id3_size(data: bytes) -> int:
    """The length of a leading ID3v2 tag (0 when there is none)."""
    if len(data) >= 10 and data[:3] == b"ID3":
        size = 0
        for byte in data[6:10]:
            size = (size << 7) | (byte & 0x7F)
        footer = 10 if data[5] & 0x10 else 0
        return 10 + size + footer
    return 0


def _mp3_info(file, total_size: int) -> AudioInfo | None:
    file.seek(0)
    head = file.read(10)
    offset = _id3_size(head)
    file.seek(offset)
    data = file.read(HEAD_BYTES)
    # The first frame may follow a little padding after the tag: look for two frames in a row.
    for start in range(min(len(data) - 4, 4096)):
        frame = _mpeg_frame(data[start : start + 4])
        if frame is None or frame.length < 24:
            continue
        following = data[start + frame.length : start + frame.length + 4]
        if len(following) < 4 and offset + start + frame.length >= total_size:
            pass  # a file of one frame: accepted on its own
        elif _mpeg_frame(following) is None:
            continue
        return AudioInfo("audio/mpeg", _mp3_duration(data[start:], frame, total_size - offset - start))
    return None


def _mp3_duration(data: bytes, frame: _Frame, audio_bytes: int) -> int | None:
    # A Xing/Info header (VBR, and LAME's CBR) says how many frames follow.
    for tag in (b"Xing", b"Info"):
        position = data.find(tag, 0, frame.length)
        if position != -1 and len(data) >= position + 12:
            flags = struct.unpack(">I", data[position + 4 : position + 8])[0]
            if flags & 1:
                frames = struct.unpack(">I", data[position + 8 : position + 12])[0]
                return round(frames * frame.samples / frame.sample_rate)
    if frame.bitrate:  # constant bit rate: bytes / bytes per second
        return round(audio_bytes * 8 / frame.bitrate)
    return None


def _boxes(file, start: int, end: int):
    """The (type, payload start, box end) of the ISO media boxes between `start` and `end`."""
    position = start
    while position + 8 <= end:
        file.seek(position)
        header = file.read(16)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header[:8])
        payload = position + 8
        if size == 1 and len(header) >= 16:
            size = struct.unpack(">Q", header[8:16])[0]
            payload = position + 16
        elif size == 0:
            size = end - position
        if size < 8:
            return
        yield kind, payload, position + size
        position += size


def _m4a_info(file, total_size: int) -> AudioInfo | None:
    file.seek(0)
    head = file.read(12)
    if len(head) < 12 or head[4:8] != b"ftyp" or head[8:12] not in M4A_BRANDS:
        return None
    duration = None
    for kind, payload, end in _boxes(file, 0, total_size):
        if kind != b"moov":
            continue
        for inner, inner_payload, _inner_end in _boxes(file, payload, end):
            if inner != b"mvhd":
                continue
            file.seek(inner_payload)
            box = file.read(32)
            if box[:1] == b"\x01" and len(box) >= 32:
                timescale, length = struct.unpack(">IQ", box[20:32])
            elif len(box) >= 20:
                timescale, length = struct.unpack(">II", box[12:20])
            else:
                break
            if timescale:
                duration = round(length / timescale)
        break
    return AudioInfo("audio/mp4", duration)


def audio_inspect(file) -> AudioInfo:
    """What kind of audio `file` holds and how long it lasts. Raises ValidationError."""
    total_size = getattr(file, "size", None)
    if total_size is None:
        file.seek(0, io.SEEK_END)
        total_size = file.tell()
    if not total_size:
        raise ValidationError(_("The audio file is empty."), code="empty")
    limit = settings.JCR_AUDIO_MAX_BYTES
    if total_size > limit:
        raise ValidationError(
            _("This audio file is too large (%(size)s; at most %(limit)s)."),
            code="too_large",
            params={"size": filesizeformat(total_size), "limit": filesizeformat(limit)},
        )
    try:
        info = _m4a_info(file, total_size) or _mp3_info(file, total_size)
    finally:
        file.seek(0)
    if info is None:
        raise ValidationError(_("This file is not MP3 or M4A audio."), code="not_audio")
    return info


def audio_file_validator(file) -> None:
    if _stored(file):
        return
    audio_inspect(file)


def mp3_silence(*, seconds: float = 3.0) -> bytes:
    """A valid MP3 of silence (MPEG-1 layer III, 128 kbit/s, 44.1 kHz, mono): headers and
    zeroed side information, which decoders play as silence. For demo data and tests."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC0])  # no CRC, 128 kbit/s, 44100 Hz, no padding, mono
    frame = header + bytes(417 - 4)  # 144 * 128000 / 44100 = 417 bytes per frame
    count = max(2, round(seconds * 44100 / 1152))
    return frame * count
