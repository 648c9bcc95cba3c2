// Stands in for @react-native-firebase/messaging (the Firebase SDK is native code): the token
// and its refreshes come from the vm's native side, as they come from Firebase on a device.
export default function messaging() {
  const native = global.__turboModuleProxy("RNFBMessagingModule");
  return {
    requestPermission: async () => 1, // messaging.AuthorizationStatus.AUTHORIZED
    registerDeviceForRemoteMessages: async () => undefined,
    getToken: async () => native.getToken(),
    getAPNSToken: async () => native.getAPNSToken(),
    onTokenRefresh: (listener) => native.onTokenRefresh(listener),
  };
}
