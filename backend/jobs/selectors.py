from uuid import UUID

from backend.errors import NotFound

from .models import Job


def job_get(*, user, job_id: UUID) -> Job:
    # Only its owner sees a job (an export carries other people's whereabouts);
    # another user's job id is "not found", not "forbidden".
    job = Job.objects.filter(id=job_id, user_id=user.id).first()
    if job is None:
        raise NotFound("作业不存在或已过期")
    return job
