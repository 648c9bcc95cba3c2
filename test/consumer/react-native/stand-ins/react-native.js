// Stands in for the `react-native` package, which this test does not install (its native side
// cannot run here): just what the example and the polyfill packages import from it. Native
// modules come from `global.__turboModuleProxy`, as on a device; the test's vm provides it.
function nativeModule(name) {
  return typeof global.__turboModuleProxy === "function" ? global.__turboModuleProxy(name) : null;
}

export const TurboModuleRegistry = {
  get: nativeModule,
  getEnforcing(name) {
    const module = nativeModule(name);
    if (module == null) throw new Error(`TurboModuleRegistry.getEnforcing(...): '${name}' could not be found`);
    return module;
  },
};

export const NativeModules = new Proxy({}, { get: (_, name) => (typeof name === "string" ? (nativeModule(name) ?? undefined) : undefined) });

export const Platform = {
  OS: "android",
  select: (choices) => ("android" in choices ? choices.android : choices.default),
};
