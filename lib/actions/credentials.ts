"use server";

import { serverAction } from "./server";
import * as specs from "@/lib/credentials/actions";

export const addSshKey = serverAction(specs.addSshKeyAction, { revalidate: "/credentials" });
export const addGpgKey = serverAction(specs.addGpgKeyAction, { revalidate: "/credentials" });
export const deleteKey = serverAction(specs.deleteKeyAction, { revalidate: "/credentials" });
export const setKeyPaths = serverAction(specs.setKeyPathsAction, { revalidate: "/credentials" });
export const setImageList = serverAction(specs.setImageListAction, { revalidate: "/credentials" });
