"""The client of the national document axis (Trục liên thông văn bản quốc
gia). The protocol is modelled on the platform's published REST shape (an
assumption to check against the operator's documentation before going live;
every name is here, in one place):

- `POST {url}/sendEdoc` with headers `systemId`, `secret`, `from` (sender
  OrganId), `to` (recipient OrganIds, comma-separated), `messagetype`
  (`edoc` or `status`) and the edXML as the body → `{"status": "OK", "docId": …}`;
- `POST {url}/getReceivedEdocList` with `{"organs": [...]}` → `{"status": "OK",
  "data": [{"docId", "from", "to", "messagetype"}]}`: what waits for our agencies;
- `GET {url}/getEdoc?docId=…` → the edXML;
- `POST {url}/updateStatus` with `{"docId": …, "status": "done"}` → acknowledged,
  the axis stops offering it.

Production never fakes success: any HTTP or protocol error raises AxisError
and the message stays pending for the retry job. Every call goes through the
integration platform (`tinhso.integration.outbound`, service `document-axis`):
timeout, circuit breaker, message log."""

from __future__ import annotations

from django.conf import settings

from tinhso.integration import outbound


class AxisError(Exception):
    pass


def configured_url() -> str:
    url = getattr(settings, "TINHSO_AXIS_URL", "")
    if not url and getattr(settings, "TINHSO_AXIS_SANDBOX", False):
        url = f"{settings.TINHSO_BASE_URL}/sandbox/axis"
    return url.rstrip("/")


class AxisClient:
    def __init__(self, url: str | None = None, system_id: str | None = None, secret: str | None = None):
        self.url = (url if url is not None else configured_url()).rstrip("/")
        self.system_id = system_id or settings.TINHSO_AXIS_SYSTEM_ID
        self.secret = secret or settings.TINHSO_AXIS_SECRET

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    def _headers(self, **extra) -> dict:
        return {"systemId": self.system_id, "secret": self.secret, **extra}

    def _json(self, response) -> dict:
        """The answer read inside the outbound call: garbage is a BadAnswer
        (logged as such, counted against the breaker), a refusal an AxisError."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise outbound.BadAnswer("document-axis", "Trục liên thông trả lời không hợp lệ.",
                                     f"trục trả lời không phải đối tượng JSON (HTTP {response.status_code})")
        if response.status_code != 200 or body.get("status") != "OK":
            raise AxisError(f"trục từ chối (HTTP {response.status_code}): {body.get('message', body)}")
        return body

    def _call(self, method: str, operation: str, *, purpose: str, subject: str = "", **kwargs):
        """Through the integration platform's outbound client: the service's
        timeout and circuit breaker, one message-log row per attempt."""
        try:
            return outbound.call("document-axis", method, f"{self.url}/{operation}", purpose=purpose,
                                 subject=subject, headers=self._headers(**kwargs.pop("extra_headers", {})), **kwargs)
        except outbound.ExternalError as exc:
            raise AxisError(f"không kết nối được trục: {exc.detail}") from exc

    def send(self, data: bytes, *, sender: str, recipients: list[str], kind: str = "edoc") -> str:
        answer = self._call("POST", "sendEdoc", purpose=f"gửi {kind}", data=data, check=self._json, extra_headers={
            "from": sender, "to": ",".join(recipients), "messagetype": kind,
            "Content-Type": "application/xml; charset=utf-8"})
        return str(answer["docId"])

    def waiting(self, organs: list[str]) -> list[dict]:
        answer = self._call("POST", "getReceivedEdocList", purpose="lấy danh sách gói tin đến",
                            json={"organs": organs}, retry=True, check=self._json)
        return list(answer.get("data", []))

    def fetch(self, doc_id: str) -> bytes:
        response = self._call("GET", "getEdoc", purpose="nhận gói tin", subject=str(doc_id)[:80],
                              params={"docId": doc_id})
        if response.status_code != 200:
            raise AxisError(f"không lấy được gói tin {doc_id} (HTTP {response.status_code})")
        return response.content

    def done(self, doc_id: str) -> None:
        self._call("POST", "updateStatus", purpose="xác nhận đã nhận", subject=str(doc_id)[:80],
                   json={"docId": doc_id, "status": "done"}, retry=True, check=self._json)
