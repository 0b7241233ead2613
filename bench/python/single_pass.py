"""A single-pass computation of an event log's basic figures with Python's standard library only:
case, event and activity counts, the directly-follows graph and the variants, events of a case in
timestamp order (stable), activity = concept:name. The yardstick the mining benchmark compares
the service's end-to-end time with (the same file, the same machine, the same run).

    python3 bench/python/single_pass.py <log.xes | log.xes.gz | log.csv> [case-column activity-column timestamp-column]

Prints one JSON object with the figures' sizes and the wall and CPU seconds it took.
"""
import csv
import gzip
import json
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import datetime


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def xes_traces(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as source:
        events = []
        event = None
        case_id = None
        for action, element in ElementTree.iterparse(source, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if action == "start":
                if tag == "trace":
                    events, case_id = [], None
                elif tag == "event":
                    event = {}
                continue
            if tag == "event":
                if "concept:name" in event and "time:timestamp" in event:
                    events.append((parse_time(event["time:timestamp"]), len(events), event["concept:name"]))
                event = None
            elif tag in ("string", "date", "int", "float", "boolean", "id"):
                key = element.get("key")
                if event is not None:
                    event.setdefault(key, element.get("value"))
                elif key == "concept:name" and case_id is None:
                    case_id = element.get("value")
            elif tag == "trace":
                yield case_id, events
                element.clear()


def csv_traces(path, case_column, activity_column, timestamp_column):
    cases = {}
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as source:
        for row in csv.DictReader(source):
            events = cases.setdefault(row[case_column], [])
            events.append((parse_time(row[timestamp_column]), len(events), row[activity_column]))
    yield from cases.items()


def main():
    path = sys.argv[1]
    started, cpu_started = time.perf_counter(), time.process_time()
    traces = xes_traces(path) if ".xes" in path else csv_traces(path, *(sys.argv[2:5] or ["case:concept:name", "concept:name", "time:timestamp"]))
    activities, dfg, variants = Counter(), Counter(), Counter()
    cases = events_total = 0
    for _case, events in traces:
        events.sort()
        sequence = tuple(activity for _time, _index, activity in events)
        cases += 1
        events_total += len(sequence)
        activities.update(sequence)
        dfg.update(zip(sequence, sequence[1:]))
        variants[sequence] += 1
    print(json.dumps({
        "cases": cases, "events": events_total, "activities": len(activities), "dfgEdges": len(dfg), "variants": len(variants),
        "wallSeconds": round(time.perf_counter() - started, 3), "cpuSeconds": round(time.process_time() - cpu_started, 3),
    }))


if __name__ == "__main__":
    main()
