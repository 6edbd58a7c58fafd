from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=60)
def send_push_message(message_id: int) -> None:
    from tinhso.citizenapp.models import PushMessage
    from tinhso.citizenapp.push import send

    message = PushMessage.objects.filter(pk=message_id).first()
    if message is not None:
        send(message)


@db_task(retries=2, retry_delay=60)
def push_warning(warning_id: int) -> None:
    from tinhso.citizenapp.actions import push_warning_now

    push_warning_now(warning_id)
