"""Writers of one firm do not wait for each other (PostgreSQL): the chain follows commit order, without holes."""

import threading

import pytest
from django.db import connection, transaction
from django_scopes import scopes_disabled

from lexbill.core.audit import audit_record, audit_verify
from lexbill.core.models import AuditChainHead, AuditEvent
from lexbill.testing import factories

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"),
]


def record(firm, action):  # type: ignore[no-untyped-def]
    return audit_record(firm=firm, actor=None, action=action, entity="x", entity_id=action)


@pytest.mark.django_db(transaction=True)
def test_a_writer_commits_while_another_writer_of_the_firm_is_still_open():
    """On main, B waited for A's lock on the firm row until A committed. Here B must not wait for any lock:
    lock_timeout turns a wait into an error instead of a hang (it bounds a failure, it times nothing)."""
    with scopes_disabled():
        firm = factories.make_firm("Arnsley & Partners LLP", slug="arnsley")
    recorded, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def writer_a() -> None:
        try:
            with transaction.atomic():
                record(firm, "a.first.written")
                recorded.set()
                release.wait()
        except BaseException as exc:
            failures.append(exc)
        finally:
            recorded.set()
            connection.close()

    a = threading.Thread(target=writer_a)
    a.start()
    recorded.wait()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            record(firm, "b.committed.first")
            record(firm, "b.second")
    finally:
        release.set()
        a.join()

    assert failures == []
    with scopes_disabled():
        chain = list(AuditEvent.objects.filter(firm=firm).order_by("seq").values_list("seq", "action", "id"))
        assert AuditChainHead.objects.get(firm=firm).seq == 3
    # A found the head free and sealed itself as #1 while open; B found it taken, went on without waiting,
    # and was sealed (its sealer found the head still taken) by A's sweep after A committed.
    assert [(seq, action) for seq, action, _ in chain] == [
        (1, "a.first.written"), (2, "b.committed.first"), (3, "b.second")]
    with scopes_disabled():
        assert AuditEvent.objects.filter(firm=firm, seq__isnull=True).count() == 0
    assert audit_verify(firm=firm) == []


@pytest.mark.django_db(transaction=True)
def test_eight_writers_at_once_leave_one_gapless_chain():
    with scopes_disabled():
        firm = factories.make_firm("Arnsley & Partners LLP", slug="arnsley")
    barrier = threading.Barrier(8)
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(5):
                with transaction.atomic():
                    record(firm, f"w{n}.{i}")
                    if i == 2:
                        transaction.set_rollback(True)  # a rolled-back write: no event, no hole
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert audit_verify(firm=firm) == []
    with scopes_disabled():
        seqs = list(AuditEvent.objects.filter(firm=firm).order_by("seq").values_list("seq", flat=True))
        assert sorted(AuditEvent.objects.filter(firm=firm).values_list("action", flat=True)) == sorted(
            f"w{n}.{i}" for n in range(8) for i in (0, 1, 3, 4))
    assert seqs == list(range(1, 33))
