"""Each app process's heartbeat key in Redis (plc/realtime/liveness.py): a process whose key is
gone is reported lost, once, by every process that had seen it."""
from __future__ import annotations

import redis

from plc.realtime.liveness import KEY_PREFIX, LOST_AFTER_SECONDS, Liveness
from plc.realtime.rooms import meeting_of_room

LIVENESS_DB = 3  # a Redis database of its own: the district's processes beat in database 0


def test_a_process_whose_key_is_gone_is_reported_lost_once_by_the_others(redis_server):
    client = redis.Redis.from_url(redis_server.url(LIVENESS_DB))
    client.flushdb()
    a, b, c = (Liveness(client, name) for name in ("a", "b", "c"))
    try:
        assert a.beat() == set() and b.beat() == set() and c.beat() == set()
        assert a.beat() == set() and b.beat() == set()
        assert 0 < client.ttl(KEY_PREFIX + "c") <= LOST_AFTER_SECONDS
        client.delete(KEY_PREFIX + "c")  # c died: nobody keeps its key alive, and it expires
        assert a.beat() == {"c"} and b.beat() == {"c"}
        assert a.beat() == set() and b.beat() == set()
        # A new process seen later is lost like any other.
        d = Liveness(client, "d")
        d.beat()
        a.beat()
        client.delete(KEY_PREFIX + "d")
        assert a.beat() == {"d"}
    finally:
        client.flushdb()
        client.close()


def test_meeting_rooms_are_told_from_other_rooms():
    assert meeting_of_room("meeting:12") == 12
    assert [meeting_of_room(name) for name in ("meeting:12:control", "participant:3", "task:4", "meeting:", "x")] \
        == [None] * 5
