#include "cuda/StepGraph.h"

#include <cstdlib>
#include <cstring>
#include <utility>

namespace euclid::cuda {

StepGraph::StepGraph(std::shared_ptr<const Context> context) : context_(std::move(context)) {
    const char* env = std::getenv("EUCLID_CUDA_GRAPHS");
    enabled_ = !(env && std::strcmp(env, "0") == 0);
}

StepGraph::~StepGraph() { reset(); }

void StepGraph::launch() { context_->check(context_->driver().cuGraphLaunch(exec_, context_->stream()), "a CUDA graph launch"); }

void StepGraph::begin() {
    context_->check(context_->driver().cuStreamBeginCapture(context_->stream(), CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
                    "starting a CUDA graph capture");
}

void StepGraph::end(const Key& key) {
    const Driver& d = context_->driver();
    CUgraph graph = nullptr;
    context_->check(d.cuStreamEndCapture(context_->stream(), &graph), "ending a CUDA graph capture");
    const CUresult r = d.cuGraphInstantiateWithFlags(&exec_, graph, 0);
    d.cuGraphDestroy(graph);
    if (r != CUDA_SUCCESS) exec_ = nullptr;
    context_->check(r, "instantiating a CUDA graph");
    key_ = key;
}

void StepGraph::abandon() noexcept {
    CUgraph graph = nullptr;
    if (context_->driver().cuStreamEndCapture(context_->stream(), &graph) == CUDA_SUCCESS && graph) {
        context_->driver().cuGraphDestroy(graph);
    }
}

void StepGraph::reset() noexcept {
    if (!exec_) return;
    if (context_->driver().cuCtxSetCurrent(context_->handle()) == CUDA_SUCCESS) context_->driver().cuGraphExecDestroy(exec_);
    exec_ = nullptr;
}

}  // namespace euclid::cuda
