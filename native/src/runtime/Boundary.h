// Checks shared by the public entry points (Api.cpp, SpecApi.cpp): every
// pointer and handle from the caller is checked once, here at the boundary.
#pragma once

#include <stdexcept>
#include <string>

#include "model/Model.h"

namespace euclid {

template <typename T>
T* require(T* p, const char* what) {
    if (!p) throw std::invalid_argument(std::string(what) + " is null");
    return p;
}

inline const Model& ready(const Model* model) {
    require(model, "model");
    if (!model->finished()) throw std::logic_error("model is not finished loading");
    return *model;
}

}  // namespace euclid
