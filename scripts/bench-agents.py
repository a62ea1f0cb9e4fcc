"""Writes the benchmarks' agents file: ten available agents, agent_00 to agent_09, as the JSON array
`switchboard agents import` and `serve --store memory --agents` read.

Usage: python3 scripts/bench-agents.py FILE
"""
import json
import sys

json.dump(
    [{"identity": f"agent_{i:02d}", "name": f"Agent {i}", "email": f"a{i}@example.com", "presence": "available"} for i in range(10)],
    open(sys.argv[1], "w"),
)
