"""Dashboards for end users: published notebooks served by Voila behind the hub login.

`app` is the server (a Voila application run as a hub-managed service), `auth` decides who may
open what (hub OAuth identity, per-dashboard audience by hub groups), `pages` holds the landing
and steward review pages, `service` the hub service definition, `demo` publishes the demo set.
"""
