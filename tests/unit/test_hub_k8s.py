"""hub_config/k8s: Zero to JupyterHub values checked offline, and the manifests they make
validated against the Kubernetes API schema with kubernetes-validate."""
from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import kubernetes_validate
import pytest
import yaml

from agora.hub import k8s
from agora.hub.errors import HubError
from agora.hub.orgs import load_directory

K8S_VERSION = "1.33.0"
HUB_CONFIG = Path(__file__).resolve().parents[2] / "hub_config"


@pytest.fixture(scope="module")
def values():
    return k8s.load()


def test_values_match_agoras_schema(values):
    k8s.check_values(values)


def test_one_profile_per_organisation_mounting_only_its_folder(values):
    k8s.check_profiles(values, load_directory(HUB_CONFIG))


@pytest.mark.parametrize("break_it, message", [
    (lambda v: v["singleuser"]["storage"]["extraVolumeMounts"][0].pop("readOnly"), "readOnly"),
    (lambda v: v["singleuser"]["extraEnv"].update(AGORA_KEY_FILE="/k"), "should not be valid"),
    (lambda v: v["cull"].update(enabled=False), "True was expected"),
    (lambda v: v["singleuser"]["profileList"][0].update(slug="Bad Slug"), "does not match"),
    (lambda v: v["hub"].pop("extraConfig"), "'extraConfig' is a required property"),
])
def test_broken_values_are_refused(values, break_it, message):
    broken = copy.deepcopy(values)
    break_it(broken)
    with pytest.raises(HubError) as err:
        k8s.check_values(broken)
    assert message in str(err.value) or "contain" in str(err.value)


def test_profiles_out_of_step_with_organisations_are_refused(values):
    broken = copy.deepcopy(values)
    broken["singleuser"]["profileList"][1]["kubespawner_override"]["volume_mounts"][0]["subPath"] = "QH8"
    with pytest.raises(HubError, match="must mount only"):
        k8s.check_profiles(broken, load_directory(HUB_CONFIG))
    broken["singleuser"]["profileList"].pop()
    with pytest.raises(HubError, match="differ from organisations"):
        k8s.check_profiles(broken, load_directory(HUB_CONFIG))


def test_rendered_pods_are_valid_kubernetes(values):
    for profile in values["singleuser"]["profileList"]:
        pod = k8s.pod_manifest(values, profile["slug"], "jane-doe")
        kubernetes_validate.validate(pod, K8S_VERSION, strict=True)
        mounts = {m["mountPath"]: m for m in pod["spec"]["containers"][0]["volumeMounts"]}
        assert mounts["/srv/agora/store"]["readOnly"] is True
        orgs = [p for p in mounts if p.startswith("/srv/agora/orgs/")]
        assert len(orgs) == 1
        env = {e["name"] for e in pod["spec"]["containers"][0]["env"]}
        assert "AGORA_KEY_FILE" not in env and "AGORA_DATA_DIR" in env


def test_shared_volume_claims_are_valid_kubernetes():
    docs = list(yaml.safe_load_all((HUB_CONFIG / "k8s" / "volumes.yaml").read_text()))
    assert {d["metadata"]["name"] for d in docs} == {"agora-store", "agora-shared", "agora-orgs"}
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_an_invalid_pod_is_caught_by_the_validator(values):
    pod = k8s.pod_manifest(values, "org-raj", "jane")
    pod["spec"]["containers"][0]["volumeMounts"][0]["readOnly"] = "yes"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(pod, K8S_VERSION, strict=True)


def test_profile_filter_offers_each_person_only_their_organisation(values):
    """Run the hub.extraConfig snippet as the chart would, with a stand-in spawner."""
    profiles = values["singleuser"]["profileList"]
    c = SimpleNamespace(KubeSpawner=SimpleNamespace(profile_list=profiles))
    exec(compile(values["hub"]["extraConfig"]["agora-profiles"], "agora-profiles", "exec"),
         {"c": c})
    spawner = SimpleNamespace(user=SimpleNamespace(
        groups=[SimpleNamespace(name="org-raj"), SimpleNamespace(name="role-analyst")]))
    assert [p["slug"] for p in c.KubeSpawner.profile_list(spawner)] == ["org-raj"]


def test_roles_snippet_compiles(values):
    compile(values["hub"]["extraConfig"]["agora-roles"], "agora-roles", "exec")
