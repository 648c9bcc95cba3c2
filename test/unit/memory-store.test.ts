import { MemoryStore } from "../../src/index.js";
import { registrationStoreContract } from "../helpers/store-contract.js";

registrationStoreContract("MemoryStore", { create: () => new MemoryStore() });
