from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.conf import settings
from ninja import Router

from backend.errors import NotFound

from . import selectors
from .models import Job
from .schemas import JobOut

router = Router(tags=["jobs"])


def job_out(job: Job) -> dict:
    percent = None
    if job.status == Job.Status.DONE:
        percent = 100
    elif job.total:
        percent = min(99, job.done * 100 // job.total)
    return {
        "id": job.id,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": percent,
        "error": job.error,
        "download_url": f"/api/jobs/{job.id}/file" if job.status == Job.Status.DONE else None,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.get("/{uuid:job_id}", response=JobOut, summary="A background job of mine: status and progress")
def get_job(request: HttpRequest, job_id: UUID):
    return job_out(selectors.job_get(user=request.user, job_id=job_id))


@router.get("/{uuid:job_id}/file", response={200: None}, summary="The file a finished job of mine made")
def job_file(request: HttpRequest, job_id: UUID):
    job = selectors.job_get(user=request.user, job_id=job_id)
    path = settings.MEDIA_ROOT / job.file if job.file else None
    if job.status != Job.Status.DONE or path is None or not path.is_file():
        raise NotFound("文件尚未生成或已过期")
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name, content_type=job.content_type)
