// The same helpers the rest of the package uses, under the web entry where apps look for them.
export { base64UrlToBytes, bytesToBase64Url } from "../protocol/base64.js";
