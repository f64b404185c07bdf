// Stand-in for ankerl::unordered_dense (https://github.com/martinus/unordered_dense), a header-only
// hash map that mediasoup 3.2x takes from a meson wrap (a download) and that Debian does not
// package. mediasoup uses only `map`, `set` and `hash` with the std-compatible interface, so they
// map onto the standard containers. What differs: iteration order (mediasoup never relies on it)
// and some speed on very large maps (Livedesk's rooms hold a handful of entries). Written for
// Livedesk; see docs/mediasoup.md.
#ifndef LIVEDESK_ANKERL_UNORDERED_DENSE_SHIM_H
#define LIVEDESK_ANKERL_UNORDERED_DENSE_SHIM_H

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	// A distinct template (not an alias) so that code may specialise it for its own key types,
	// as it may with the real library.
	template<class T, class Enable = void>
	struct hash : std::hash<T>
	{
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<
	  class Key,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
