import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db/client";
import { listUsers } from "@/lib/users/manage";
import { AddUserForm } from "./add-user-form";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const users = await listUsers(db);
  return (
    <>
      <h1>Users</h1>
      <table aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                <Link href={`/users/${u.id}`}>{u.name}</Link>
              </td>
              <td>{u.email}</td>
              <td>
                <span className={`badge ${u.role}`}>{u.role}</span>
              </td>
              <td>
                {u.disabled ? (
                  <span className="badge disabled">disabled</span>
                ) : u.mustChangePassword ? (
                  <span className="badge">must set a password</span>
                ) : (
                  <span className="badge success">active</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add a user</h2>
      <div className="panel">
        <AddUserForm />
      </div>
    </>
  );
}
