provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_ecs_service" "app" {
  name        = "app"
  launch_type = "FARGATE"

  network_configuration {
    subnets = [aws_subnet.private.id]
  }
}

locals {
  c = {
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
 Nr ={
  rl/rl/  u !={
