"""Reading attachments: the caller's domain has already decided the item is visible."""

from urllib.parse import quote

from django.http import FileResponse

from backend.errors import NotFound

from .models import Attachment

GONE = "附件不存在"


def attachment_of(*, item, attachment_id: int) -> Attachment:
    found = item.attachments.filter(id=attachment_id).first()
    if found is None:
        raise NotFound(GONE)
    return found


def attachment_response(*, attachment: Attachment, thumb: bool) -> FileResponse:
    """The stored file. A PDF always as a download (never rendered in our origin); a photo
    inline. Both private to the browser that asked, and never sniffed as another type."""
    if thumb and attachment.kind == Attachment.Kind.IMAGE:
        response = FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")
    else:
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        disposition = "attachment" if attachment.kind == Attachment.Kind.PDF else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(attachment.name)}"
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def attachment_out(attachment: Attachment, *, base: str) -> dict:
    url = f"{base}/attachments/{attachment.id}"
    return {
        "id": attachment.id,
        "kind": attachment.kind,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size_bytes": attachment.size_bytes,
        "width": attachment.width,
        "height": attachment.height,
        "pages": attachment.pages,
        "uploaded_by_name": attachment.uploaded_by.shown_name if attachment.uploaded_by_id else "",
        "uploaded_at": attachment.uploaded_at,
        "url": url,
        "thumb_url": f"{url}?thumb=true" if attachment.kind == Attachment.Kind.IMAGE else None,
    }
