// Material's page-state helpers, which its theme writes inline into every page: where the site's
// settings are kept in localStorage (the site's root, the scope) and how they are read and written.
// Loaded from a file instead, on every page of every folder depth, the scope is found from this
// script's own address (<root>/assets/gkml-scope.js) rather than from a per-page relative path.
var __md_scope = new URL("..", document.currentScript.src);
var __md_hash = function (text) {
  return Array.from(text).reduce(function (hash, ch) { return (hash << 5) - hash + ch.charCodeAt(0); }, 0);
};
var __md_get = function (key, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  return JSON.parse(storage.getItem(scope.pathname + "." + key));
};
var __md_set = function (key, value, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  try {
    storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
  } catch (e) {
    // storage full or refused (private mode, a copy opened from disk in some browsers): not kept
  }
};
