import pytest


@pytest.mark.django_db
def test_healthz_is_public_and_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["redis"] == {"ok": True}


@pytest.mark.django_db
def test_healthz_names_redis_when_it_is_down(client, settings):
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["redis"]
    assert body["checks"]["database"] == {"ok": True}
    assert "Connection" in body["checks"]["redis"]["error"]
