/* An empty translation unit for the stand-in static libraries that mediasoup's meson.build puts in
 * `link_whole`: the real system libraries are linked through the dependency objects instead.
 * media/build-worker.mjs copies it into each stand-in subproject (meson lets a subproject read only
 * files inside its own folder). */
typedef int livedesk_empty_translation_unit;
