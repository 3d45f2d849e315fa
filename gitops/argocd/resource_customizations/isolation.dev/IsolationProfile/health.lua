-- Argo CD health check for isolation.dev/IsolationProfile (see gitops/argocd/README.md).
-- Keep identical to the snippet in gitops/argocd/argocd-cm-patch.yaml (a test checks it).
local hs = {}

local function findCondition(conditions, condType)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == condType then
      return c
    end
  end
  return nil
end

local function textOf(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return ""
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  -- The finalizer isolation.dev/cleanup is at work: NetworkPolicies and namespace metadata go first.
  hs.status = "Progressing"
  hs.message = "Deleting: the operator is removing the profile's NetworkPolicies and namespace metadata"
  return hs
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if observed == nil or (generation ~= nil and observed < generation) then
  hs.status = "Progressing"
  if generation ~= nil and observed ~= nil then
    hs.message = "Waiting for the operator to observe generation " .. generation .. " (observed " .. observed .. ")"
  else
    hs.message = "Waiting for the operator"
  end
  return hs
end

-- kstatus: Stalled=True means no progress without a change (invalid spec, refused writes, conflict).
local stalled = findCondition(obj.status.conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = textOf(stalled)
  return hs
end

local ready = findCondition(obj.status.conditions, "Ready")
if ready ~= nil and ready.reason == "DryRun" then
  -- mode: DryRun computes and reports but writes nothing, on purpose.
  hs.status = "Suspended"
  hs.message = "DryRun: " .. textOf(ready)
  return hs
end

local reconciling = findCondition(obj.status.conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = textOf(reconciling)
  if hs.message == "" then
    hs.message = "Reconciling"
  end
  return hs
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

if ready.status == "False" then
  hs.status = "Degraded"
  hs.message = textOf(ready)
  return hs
end

if ready.status ~= "True" then
  hs.status = "Progressing"
  hs.message = textOf(ready)
  if hs.message == "" then
    hs.message = "Waiting for the operator"
  end
  return hs
end

local enforced = findCondition(obj.status.conditions, "Enforced")
if enforced ~= nil and enforced.status == "False" then
  local requireEnforcement = false
  local annotations = obj.metadata.annotations
  if annotations ~= nil and annotations["isolation.dev/require-enforcement"] == "true" then
    requireEnforcement = true
  end
  local msg = "NetworkPolicies are applied but NOT enforced by the cluster's CNI: " .. textOf(enforced)
  if requireEnforcement then
    hs.status = "Degraded"
  else
    hs.status = "Healthy"
  end
  hs.message = msg
  return hs
end

hs.status = "Healthy"
hs.message = textOf(ready)
if enforced ~= nil and enforced.status ~= "True" then
  hs.message = hs.message .. " (enforcement unknown: " .. textOf(enforced) .. ")"
end
return hs
