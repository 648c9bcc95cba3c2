// Stands in for @react-native-async-storage/async-storage v3 (its storage is native code): the
// same promise API over the vm's native side, whose values outlive one run of the bundle the way
// the phone's disk outlives the app.
const native = () => global.__turboModuleProxy("RNAsyncStorage");

const AsyncStorage = {
  getItem: async (key) => native().get(key),
  setItem: async (key, value) => native().set(key, String(value)),
  removeItem: async (key) => native().remove(key),
  getAllKeys: async () => native().keys(),
  getMany: async (keys) => Object.fromEntries(keys.map((key) => [key, native().get(key)])),
  setMany: async (entries) => Object.entries(entries).forEach(([key, value]) => native().set(key, String(value))),
  removeMany: async (keys) => keys.forEach((key) => native().remove(key)),
  clear: async () => native().keys().forEach((key) => native().remove(key)),
};

export default AsyncStorage;
