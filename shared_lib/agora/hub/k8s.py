"""Zero to JupyterHub values (hub_config/k8s/): check them offline, render what they make.

The chart's own schema cannot be fetched here, so `check_values` uses Agora's schema of the
values it relies on, and `pod_manifest` renders the single-user pod KubeSpawner would create for
a person of one organisation (volumes, mounts, environment, security context), which
kubernetes-validate then checks against the Kubernetes API schema.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from .errors import HubError
from .orgs import Directory

K8S_DIR = Path(__file__).resolve().parents[3] / "hub_config" / "k8s"


def load(name: str = "values.yaml", folder: Path = K8S_DIR) -> dict:
    return yaml.safe_load((folder / name).read_text())


def check_values(values: dict, folder: Path = K8S_DIR) -> None:
    """Raise HubError if the values miss or break what Agora relies on."""
    schema = json.loads((folder / "values.schema.json").read_text())
    try:
        jsonschema.validate(values, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(map(str, exc.absolute_path)) or "(top)"
        raise HubError(f"k8s values at {where}: {exc.message}") from None


def check_profiles(values: dict, directory: Directory) -> None:
    """Exactly one profile per organisation, slug = its group, mounting only its own folder."""
    profiles = {p["slug"]: p for p in values["singleuser"]["profileList"]}
    expected = {o.group: o for o in directory.orgs.values()}
    if set(profiles) != set(expected):
        raise HubError(f"k8s profiles {sorted(profiles)} differ from organisations "
                       f"{sorted(expected)}")
    for slug, org in expected.items():
        override = profiles[slug]["kubespawner_override"]
        mounts = override["volume_mounts"]
        if override["environment"]["AGORA_ORG"] != org.code or \
                [(m["mountPath"], m["subPath"]) for m in mounts] != \
                [(f"/srv/agora/orgs/{org.code}", org.code)]:
            raise HubError(f"k8s profile {slug} must mount only /srv/agora/orgs/{org.code}")


def _k8s_name(text: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", text.lower()).strip("-")[:63]


def pod_manifest(values: dict, slug: str, username: str) -> dict:
    """The single-user pod KubeSpawner would create for `username` with profile `slug`."""
    su = values["singleuser"]
    profile = next(p for p in su["profileList"] if p["slug"] == slug)["kubespawner_override"]
    env = {**su["extraEnv"], **profile["environment"], "JUPYTERHUB_USER": username}
    storage = su["storage"]
    home_claim = {"claimName": f"claim-{_k8s_name(username)}"}
    volumes = [{"name": "home", "persistentVolumeClaim": home_claim}, *storage["extraVolumes"]]
    mounts = [{"name": "home", "mountPath": storage["homeMountPath"]},
              *storage["extraVolumeMounts"], *profile["volume_mounts"]]
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": f"jupyter-{_k8s_name(username)}",
                     "labels": {"app": "jupyterhub", "component": "singleuser-server",
                                "hub.jupyter.org/username": _k8s_name(username)}},
        "spec": {
            "automountServiceAccountToken": False,
            "securityContext": {"fsGroup": su.get("fsGid", 100), "runAsNonRoot": True},
            "containers": [{
                "name": "notebook",
                "image": f"{su['image']['name']}:{su['image']['tag']}",
                "args": [su.get("cmd", "jupyterhub-singleuser")],
                "env": [{"name": k, "value": str(v)} for k, v in sorted(env.items())],
                "ports": [{"containerPort": 8888, "name": "notebook-port"}],
                "resources": {
                    "limits": {"cpu": str(su["cpu"]["limit"]), "memory": su["memory"]["limit"]},
                    "requests": {"cpu": str(su["cpu"]["guarantee"]),
                                 "memory": su["memory"]["guarantee"]}},
                "securityContext": {"runAsUser": su["uid"], "allowPrivilegeEscalation": False},
                "volumeMounts": mounts,
            }],
            "volumes": volumes,
        },
    }
