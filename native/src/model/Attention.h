// Causal grouped-query attention of one layer over the paged KV cache.
#pragma once

#include "model/Forward.h"

namespace euclid {

class KvCache;
class Model;
class Workspace;

// Every batch token's attention over the slots it sees (see Batch), reading
// K/V through its block table: ws.q in, ws.att out. A work item is one token
// and the query heads of one KV head (a share of them when there are fewer
// items than threads to keep busy): each K and V row is read once for all of
// them. Every (token, head) is still reduced alone and in slot order, so
// chunking, batching and the item split never change a result.
void attention(const Model& model, const KvCache& kv, Workspace& ws, const Batch& batch, int layer);

}  // namespace euclid
