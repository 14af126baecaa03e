"""The hub: JupyterHub with a workspace per partner organisation.

`orgs` loads and validates who is who (organisations.yaml, demo_users.yaml), `roles` maps Agora
roles to JupyterHub RBAC, `accounts` makes the Unix users, groups and folders, `config` turns it
all into JupyterHub configuration, `services` lists the hub-managed services, `admin` is the
`agora admin` command and `launch` starts a real hub (tests and the demo).
"""
