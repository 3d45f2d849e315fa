// Build-only module: pins etcd for the real-API-server test tier.
module isolation-operator/test-infra/etcd

go 1.25.0

require go.etcd.io/etcd/server/v3 v3.6.17
